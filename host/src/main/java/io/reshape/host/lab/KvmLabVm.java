package io.reshape.host.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.reshape.host.LinuxCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * A VM this process runs itself through /dev/kvm, with KVM's dirty-page log on its memory: a real
 * source of dirty bitmaps and HLT exits on any host with KVM, whatever its kernel lacks. Its vCPU
 * runs a 29-byte real-mode program that writes one byte into each page of a list and halts.
 * Memory is at most 1 MiB (256 pages), which real mode reaches without paging.
 */
public final class KvmLabVm implements AutoCloseable {

  public static final int PAGE_SIZE = 4096;
  public static final int MAX_PAGES = 256;
  /** Pages 0 to 2 hold the unused interrupt table, the program and the page list. */
  public static final int FIRST_WRITABLE_PAGE = 3;

  // ioctl numbers from linux/kvm.h: _IO, _IOR and _IOW on type 0xAE.
  private static final long KVM_GET_API_VERSION = 0xAE00;
  private static final long KVM_CREATE_VM = 0xAE01;
  private static final long KVM_GET_VCPU_MMAP_SIZE = 0xAE04;
  private static final long KVM_CREATE_VCPU = 0xAE41;
  private static final long KVM_SET_USER_MEMORY_REGION = 0x4020AE46L;
  private static final long KVM_GET_DIRTY_LOG = 0x4010AE42L;
  private static final long KVM_RUN = 0xAE80;
  private static final long KVM_GET_REGS = 0x8090AE81L;
  private static final long KVM_SET_REGS = 0x4090AE82L;
  private static final long KVM_GET_SREGS = 0x8138AE83L;
  private static final long KVM_SET_SREGS = 0x4138AE84L;
  private static final int KVM_MEM_LOG_DIRTY_PAGES = 1;
  private static final int KVM_EXIT_HLT = 5;
  private static final int API_VERSION = 12;
  /** Sizes of struct kvm_regs and struct kvm_sregs on x86_64. */
  private static final int REGS_SIZE = 144;
  private static final int SREGS_SIZE = 312;

  private static final int CODE = 0x1000;
  private static final int PAGE_LIST = 0x2000;
  /**
   * xor ax,ax; mov ds,ax; mov si,0x2000; lodsw; mov cx,ax; jcxz done;
   * next: lodsw; shl ax,8; mov es,ax; mov byte [es:0],0xA5; loop next; done: hlt; jmp done
   */
  private static final byte[] PROGRAM = {
      0x31, (byte) 0xC0, (byte) 0x8E, (byte) 0xD8, (byte) 0xBE, 0x00, 0x20, (byte) 0xAD, (byte) 0x89, (byte) 0xC1,
      (byte) 0xE3, 0x0E, (byte) 0xAD, (byte) 0xC1, (byte) 0xE0, 0x08, (byte) 0x8E, (byte) 0xC0, 0x26, (byte) 0xC6,
      0x06, 0x00, 0x00, (byte) 0xA5, (byte) 0xE2, (byte) 0xF2, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};

  private final int pages;
  private final int kvm;
  private final int vm;
  private final int vcpu;
  private final Pointer memory;
  private final Pointer run;
  private final long runSize;
  private final Memory bitmap;
  /** The pages each reader of the dirty log has not taken yet: KVM resets its log on every read. */
  private final List<RoaringBitmap> dirtyLogReaders = new ArrayList<>();
  private final RoaringBitmap ownDirtyPages = new RoaringBitmap();
  /** When each page was last seen in KVM's dirty log ({@link System#nanoTime}), 0 if never. */
  private final long[] lastWrittenNanos;
  private long haltExits;
  private boolean closed;

  private KvmLabVm(int pages, int kvm, int vm, int vcpu, Pointer memory, Pointer run, long runSize) {
    this.pages = pages;
    this.kvm = kvm;
    this.vm = vm;
    this.vcpu = vcpu;
    this.memory = memory;
    this.run = run;
    this.runSize = runSize;
    this.bitmap = new Memory(Math.max(8, (pages + 63) / 64 * 8));
    this.lastWrittenNanos = new long[pages];
    dirtyLogReaders.add(ownDirtyPages);
  }

  /** Whether lab VMs can run here: one is made and let go again, so the answer is seen, not assumed. */
  public static boolean usable() {
    try {
      create(FIRST_WRITABLE_PAGE + 1).close();
      return true;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Creates a VM of {@code pages} pages of memory with dirty logging on, and its one vCPU. */
  public static KvmLabVm create(int pages) {
    if (pages <= FIRST_WRITABLE_PAGE || pages > MAX_PAGES) {
      throw new IllegalArgumentException("A lab VM has " + (FIRST_WRITABLE_PAGE + 1) + " to " + MAX_PAGES + " pages, not " + pages);
    }
    LinuxCalls c = LinuxCalls.C;
    int kvm = c.open("/dev/kvm", LinuxCalls.O_RDWR | LinuxCalls.O_CLOEXEC);
    int version = c.ioctl(kvm, KVM_GET_API_VERSION, 0L);
    if (version != API_VERSION) {
      c.close(kvm);
      throw new IllegalStateException("KVM API version " + version + ", expected " + API_VERSION);
    }
    int vm = c.ioctl(kvm, KVM_CREATE_VM, 0L);
    long size = (long) pages * PAGE_SIZE;
    Pointer memory = c.mmap(null, size, LinuxCalls.PROT_READ | LinuxCalls.PROT_WRITE,
        LinuxCalls.MAP_PRIVATE | LinuxCalls.MAP_ANONYMOUS | LinuxCalls.MAP_NORESERVE, -1, 0);
    mergeable(memory, size);
    Memory region = new Memory(32);
    region.clear();
    region.setInt(0, 0);
    region.setInt(4, KVM_MEM_LOG_DIRTY_PAGES);
    region.setLong(8, 0);
    region.setLong(16, size);
    region.setLong(24, Pointer.nativeValue(memory));
    c.ioctl(vm, KVM_SET_USER_MEMORY_REGION, region);
    int vcpu = c.ioctl(vm, KVM_CREATE_VCPU, 0L);
    long runSize = c.ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0L);
    Pointer run = c.mmap(null, runSize, LinuxCalls.PROT_READ | LinuxCalls.PROT_WRITE, LinuxCalls.MAP_SHARED, vcpu, 0);
    memory.write(CODE, PROGRAM, 0, PROGRAM.length);
    return new KvmLabVm(pages, kvm, vm, vcpu, memory, run, runSize);
  }

  /** Offers the guest's memory to KSM, as QEMU does its guests'; a kernel without KSM refuses, and the VM runs all the same. */
  private static void mergeable(Pointer memory, long size) {
    try {
      LinuxCalls.C.madvise(memory, size, LinuxCalls.MADV_MERGEABLE);
    } catch (LastErrorException e) {
      // No KSM here (EINVAL): nothing to offer the memory to.
    }
  }

  public int pages() {
    return pages;
  }

  /** HLT exits so far: one per {@link #write} call. */
  public long haltExits() {
    return haltExits;
  }

  /**
   * Runs the guest program until it halts, writing one byte into each of {@code pageNumbers}.
   *
   * @throws IllegalArgumentException for a page the program may not write
   */
  public synchronized void write(List<Integer> pageNumbers) {
    for (int page : pageNumbers) {
      if (page < FIRST_WRITABLE_PAGE || page >= pages) {
        throw new IllegalArgumentException("Page " + page + " is not writable: " + FIRST_WRITABLE_PAGE + " to " + (pages - 1));
      }
    }
    memory.setShort(PAGE_LIST, (short) pageNumbers.size());
    for (int i = 0; i < pageNumbers.size(); i++) {
      memory.setShort(PAGE_LIST + 2 + 2L * i, pageNumbers.get(i).shortValue());
    }
    startAt(CODE);
    LinuxCalls.C.ioctl(vcpu, KVM_RUN, 0L);
    int exit = run.getInt(8);
    if (exit != KVM_EXIT_HLT) {
      throw new IllegalStateException("The lab VM's vCPU stopped with KVM exit reason " + exit + ", not HLT");
    }
    haltExits++;
  }

  /** Real mode at {@code address}: code segment 0, instruction pointer at the program. */
  private void startAt(int address) {
    Memory sregs = new Memory(SREGS_SIZE);
    LinuxCalls.C.ioctl(vcpu, KVM_GET_SREGS, sregs);
    sregs.setLong(0, 0);          // cs.base
    sregs.setShort(12, (short) 0); // cs.selector
    LinuxCalls.C.ioctl(vcpu, KVM_SET_SREGS, sregs);
    Memory regs = new Memory(REGS_SIZE);
    LinuxCalls.C.ioctl(vcpu, KVM_GET_REGS, regs);
    regs.setLong(128, address);   // rip
    regs.setLong(136, 2);         // rflags: the reserved bit
    LinuxCalls.C.ioctl(vcpu, KVM_SET_REGS, regs);
  }

  /** The pages written since the last call, from KVM's dirty log. */
  public synchronized RoaringBitmap takeDirtyPages() {
    return take(ownDirtyPages);
  }

  /**
   * A reader of KVM's dirty log of its own, beside the collector's ({@link #takeDirtyPages}): each
   * sees every page written since it last took them, from when it was made until it is closed.
   */
  public synchronized DirtyLogReader newDirtyLogReader() {
    fetchDirtyLog();
    RoaringBitmap pending = new RoaringBitmap();
    dirtyLogReaders.add(pending);
    return new DirtyLogReader(pending);
  }

  /** One reader's share of the dirty log. */
  public final class DirtyLogReader implements AutoCloseable {

    private final RoaringBitmap pending;

    private DirtyLogReader(RoaringBitmap pending) {
      this.pending = pending;
    }

    /** The pages written since the last call (or since the reader was made). */
    public RoaringBitmap take() {
      synchronized (KvmLabVm.this) {
        return KvmLabVm.this.take(pending);
      }
    }

    @Override
    public void close() {
      synchronized (KvmLabVm.this) {
        dirtyLogReaders.removeIf(reader -> reader == pending);
      }
    }
  }

  private RoaringBitmap take(RoaringBitmap pending) {
    fetchDirtyLog();
    RoaringBitmap taken = pending.clone();
    pending.clear();
    return taken;
  }

  /** Reads (and so resets) KVM's dirty log, handing the pages to every reader. */
  private void fetchDirtyLog() {
    Memory log = new Memory(16);
    log.clear();
    bitmap.clear();
    log.setInt(0, 0);
    log.setPointer(8, bitmap);
    LinuxCalls.C.ioctl(vm, KVM_GET_DIRTY_LOG, log);
    RoaringBitmap dirty = new RoaringBitmap();
    long now = System.nanoTime();
    for (int word = 0; word * 64 < pages; word++) {
      long bits = bitmap.getLong(word * 8L);
      while (bits != 0) {
        int bit = Long.numberOfTrailingZeros(bits);
        dirty.add(word * 64 + bit);
        lastWrittenNanos[word * 64 + bit] = now;
        bits &= bits - 1;
      }
    }
    dirtyLogReaders.forEach(reader -> reader.or(dirty));
  }

  /**
   * The pages written within {@code window} before now, as far as KVM's dirty log tells: a page is
   * dated when the log is read (by any reader, or by this call), so the dates are as fine as the
   * reads are frequent.
   */
  public synchronized RoaringBitmap writtenWithin(Duration window) {
    fetchDirtyLog();
    long since = System.nanoTime() - window.toNanos();
    RoaringBitmap recent = new RoaringBitmap();
    for (int page = 0; page < pages; page++) {
      if (lastWrittenNanos[page] != 0 && lastWrittenNanos[page] - since >= 0) {
        recent.add(page);
      }
    }
    return recent;
  }

  /**
   * Gives the host advice on pages [from, to) of the guest's memory, as {@code madvise} does:
   * {@link LinuxCalls#MADV_PAGEOUT} to reclaim them now (to swap), {@link LinuxCalls#MADV_WILLNEED}
   * to read them back ahead of use.
   */
  public synchronized void advise(int from, int to, int advice) {
    if (from < 0 || to > pages || from >= to) {
      throw new IllegalArgumentException("Pages [" + from + ", " + to + ") are not a range of this VM's " + pages);
    }
    LinuxCalls.C.madvise(memory.share((long) from * PAGE_SIZE), (long) (to - from) * PAGE_SIZE, advice);
  }

  /** Reads a byte of every page, so that each is resident (faulted back from swap) when this returns. */
  public synchronized void touchAll() {
    for (int page = 0; page < pages; page++) {
      memory.getByte((long) page * PAGE_SIZE);
    }
  }

  /** The pages of the guest's memory resident in host RAM now ({@code mincore}). */
  public synchronized RoaringBitmap residentPages() {
    Memory residency = new Memory(pages);
    LinuxCalls.C.mincore(memory, (long) pages * PAGE_SIZE, residency);
    RoaringBitmap resident = new RoaringBitmap();
    for (int page = 0; page < pages; page++) {
      if ((residency.getByte(page) & 1) != 0) {
        resident.add(page);
      }
    }
    return resident;
  }

  /** A copy of page {@code number} of the guest's memory. */
  public synchronized byte[] page(int number) {
    return memory.getByteArray((long) number * PAGE_SIZE, PAGE_SIZE);
  }

  /** Sets page {@code number} of the guest's memory, as a migration that brings it does. */
  public synchronized void page(int number, byte[] content) {
    memory.write((long) number * PAGE_SIZE, content, 0, PAGE_SIZE);
  }

  /** The vCPU's registers and segment registers ({@code KVM_GET_REGS}, {@code KVM_GET_SREGS}), as one block. */
  public synchronized byte[] vcpuState() {
    Memory regs = new Memory(REGS_SIZE);
    Memory sregs = new Memory(SREGS_SIZE);
    LinuxCalls.C.ioctl(vcpu, KVM_GET_REGS, regs);
    LinuxCalls.C.ioctl(vcpu, KVM_GET_SREGS, sregs);
    byte[] state = new byte[REGS_SIZE + SREGS_SIZE];
    regs.read(0, state, 0, REGS_SIZE);
    sregs.read(0, state, REGS_SIZE, SREGS_SIZE);
    return state;
  }

  /** Gives the vCPU the state {@link #vcpuState} took, on the host it was taken on or another. */
  public synchronized void vcpuState(byte[] state) {
    if (state.length != REGS_SIZE + SREGS_SIZE) {
      throw new IllegalArgumentException("A vCPU state is " + (REGS_SIZE + SREGS_SIZE) + " bytes, not " + state.length);
    }
    Memory regs = new Memory(REGS_SIZE);
    Memory sregs = new Memory(SREGS_SIZE);
    regs.write(0, state, 0, REGS_SIZE);
    sregs.write(0, state, REGS_SIZE, SREGS_SIZE);
    LinuxCalls.C.ioctl(vcpu, KVM_SET_SREGS, sregs);
    LinuxCalls.C.ioctl(vcpu, KVM_SET_REGS, regs);
  }

  /** Lets the VM go; a second call does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LinuxCalls c = LinuxCalls.C;
    c.munmap(run, runSize);
    c.close(vcpu);
    c.close(vm);
    c.munmap(memory, (long) pages * PAGE_SIZE);
    c.close(kvm);
  }
}
