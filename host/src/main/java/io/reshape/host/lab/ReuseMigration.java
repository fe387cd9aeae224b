package io.reshape.host.lab;

import io.reshape.host.PageHasher;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * Live migration of a lab VM between two processes over a socket, reusing the memory image the
 * destination kept from when the VM last left it, as MiyakoDori proposes (and upstream QEMU lacks).
 *
 * <ol>
 *   <li>The source names the VM; a destination that does not expect that VM refuses it.
 *   <li>The destination says what it kept: a hash of every page of its old image of the VM, or
 *       nothing.
 *   <li>The source sends every page whose hash differs (a page unchanged since the VM left is
 *       reused, not sent), while the VM runs on; then, in pre-copy rounds driven by KVM's dirty
 *       log, the pages written meanwhile, until few are left or the rounds run out.
 *   <li>Stop and copy: the VM is held (no {@link KvmLabVm#write} runs), the last written pages (and
 *       the pages the host writes itself, which KVM's log does not see) and the vCPU's state go,
 *       then a digest of the whole memory.
 *   <li>The destination, its image now the VM's, checks the digest of its memory against the
 *       source's (which verifies every page it reused) and says whether it took the VM.
 * </ol>
 */
public final class ReuseMigration {

  /**
   * What a migration sent.
   *
   * @param pages the VM's pages
   * @param reused pages the destination's kept image already held
   * @param sentPages page sends, in all rounds (a page written again is sent again)
   * @param rounds pre-copy rounds after the first pass
   * @param bytesSent bytes on the socket, both ways
   * @param downtimeMicros how long the VM was held for the stop and copy
   */
  public record Report(int pages, int reused, int sentPages, int rounds, long bytesSent, long downtimeMicros) {

    /** What a migration without reuse sends: every page once. */
    public long fullBytes() {
      return (long) pages * KvmLabVm.PAGE_SIZE;
    }
  }

  private static final byte PAGE = 1;
  private static final byte STATE = 2;
  private static final byte DIGEST = 3;
  /** The destination's answer, in place of its kept image's size, to a VM it does not expect. */
  private static final int REFUSED = -1;

  private ReuseMigration() {}

  /**
   * The source's part: sends {@code vm} over {@code socket}, which leaves it held no longer; the
   * caller stops running it once this returns.
   *
   * @param maxRounds pre-copy rounds at most after the first pass
   * @param stopBelow a round that leaves fewer written pages than this goes to the stop and copy
   * @throws IOException when the destination refused the VM, saying why
   */
  public static Report send(String vmId, KvmLabVm vm, Socket socket, int maxRounds, int stopBelow) throws IOException {
    Counting in = new Counting(socket.getInputStream());
    DataInputStream fromDestination = new DataInputStream(in);
    DataOutputStream toDestination = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    toDestination.writeUTF(vmId);
    toDestination.flush();
    int keptPages = fromDestination.readInt();
    if (keptPages == REFUSED) {
      throw new IOException("The destination refused VM " + vmId + ": " + fromDestination.readUTF());
    }
    long[] kept = new long[keptPages];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = fromDestination.readLong();
    }
    if (kept.length != 0 && kept.length != vm.pages()) {
      throw new IOException("The destination kept an image of " + kept.length + " pages of a VM of " + vm.pages());
    }
    toDestination.writeInt(vm.pages());
    int reused = 0;
    int sent = 0;
    int rounds = 0;
    long downtime;
    try (KvmLabVm.DirtyLogReader written = vm.newDirtyLogReader()) {
      for (int page = 0; page < vm.pages(); page++) {
        byte[] content = vm.page(page);
        if (kept.length != 0 && kept[page] == PageHasher.hash(ByteBuffer.wrap(content))) {
          reused++;
        } else {
          sendPage(toDestination, page, content);
          sent++;
        }
      }
      RoaringBitmap dirty = written.take();
      while (rounds < maxRounds && dirty.getCardinality() >= stopBelow) {
        rounds++;
        sent += sendPages(vm, toDestination, dirty);
        dirty = written.take();
      }
      synchronized (vm) {
        long held = System.nanoTime();
        dirty.or(written.take());
        // The pages the host writes itself (the program and its page list) are not in KVM's log.
        dirty.add(0L, KvmLabVm.FIRST_WRITABLE_PAGE);
        sent += sendPages(vm, toDestination, dirty);
        byte[] state = vm.vcpuState();
        toDestination.writeByte(STATE);
        toDestination.writeInt(state.length);
        toDestination.write(state);
        toDestination.writeByte(DIGEST);
        toDestination.write(digest(vm));
        toDestination.flush();
        boolean taken = fromDestination.readBoolean();
        String answer = fromDestination.readUTF();
        downtime = (System.nanoTime() - held) / 1000;
        if (!taken) {
          throw new IOException("The destination refused the VM: " + answer);
        }
      }
    }
    return new Report(vm.pages(), reused, sent, rounds, toDestination.size() + in.count, downtime);
  }

  private static int sendPages(KvmLabVm vm, DataOutputStream out, RoaringBitmap pages) throws IOException {
    for (int page : pages) {
      sendPage(out, page, vm.page(page));
    }
    return pages.getCardinality();
  }

  private static void sendPage(DataOutputStream out, int page, byte[] content) throws IOException {
    out.writeByte(PAGE);
    out.writeInt(page);
    out.write(content);
  }

  /**
   * The destination's part: takes VM {@code vmId} from {@code socket} into {@code kept}, the image
   * this host kept of it, or into a new VM when there is none; returns the VM, ready to run where
   * the source stopped it.
   *
   * @throws IOException when another VM came (it is refused), or what arrived does not add up (the
   *     digest differs: the VM is not taken)
   */
  public static KvmLabVm receive(Socket socket, String vmId, KvmLabVm kept) throws IOException {
    DataInputStream fromSource = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    DataOutputStream toSource = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    String coming = fromSource.readUTF();
    if (!coming.equals(vmId)) {
      toSource.writeInt(REFUSED);
      toSource.writeUTF("it waits for VM " + vmId + " here, not " + coming);
      toSource.flush();
      throw new IOException("VM " + coming + " came where VM " + vmId + " was expected; refused");
    }
    toSource.writeInt(kept == null ? 0 : kept.pages());
    if (kept != null) {
      for (int page = 0; page < kept.pages(); page++) {
        toSource.writeLong(PageHasher.hash(ByteBuffer.wrap(kept.page(page))));
      }
    }
    toSource.flush();
    int pages = fromSource.readInt();
    KvmLabVm vm = kept != null && kept.pages() == pages ? kept : KvmLabVm.create(pages);
    try {
      byte[] content = new byte[KvmLabVm.PAGE_SIZE];
      while (true) {
        byte type = fromSource.readByte();
        if (type == PAGE) {
          int page = fromSource.readInt();
          fromSource.readFully(content);
          vm.page(page, content);
        } else if (type == STATE) {
          byte[] state = new byte[fromSource.readInt()];
          fromSource.readFully(state);
          vm.vcpuState(state);
        } else if (type == DIGEST) {
          byte[] expected = new byte[32];
          fromSource.readFully(expected);
          boolean same = Arrays.equals(expected, digest(vm));
          toSource.writeBoolean(same);
          toSource.writeUTF(same ? "taken" : "the memory's digest differs from the source's: a reused page was stale");
          toSource.flush();
          if (!same) {
            throw new IOException("The VM's memory here does not match the source's; not taken");
          }
          return vm;
        } else {
          throw new IOException("Unknown frame " + type + " in a migration");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (vm != kept) {
        vm.close();
      }
      throw e;
    }
  }

  /** SHA-256 of the VM's whole memory, page by page. */
  private static byte[] digest(KvmLabVm vm) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (int page = 0; page < vm.pages(); page++) {
        digest.update(vm.page(page));
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  /** Counts the bytes read from the destination. */
  private static final class Counting extends FilterInputStream {

    private long count;

    Counting(InputStream in) {
      super(new BufferedInputStream(in));
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        count += read;
      }
      return read;
    }
  }
}
