package io.reshape.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process's memory, advised through a pidfd ({@code pidfd_open}, {@code process_madvise}):
 * a pidfd names the process, not a pid a new process could reuse. Pages are brought in for real
 * by reading them through {@code /proc/PID/mem}, which faults them in as the process itself would.
 */
public final class RemoteMemory implements AutoCloseable {

  /** {@code process_madvise} takes at most this much per call (the kernel's MAX_RW_COUNT, rounded down to a page). */
  private static final long MOST_PER_CALL = 1L << 30;
  private static final int READ_CHUNK = 1 << 20;

  private final long pid;
  private final int pidfd;
  private final Path mem;

  private RemoteMemory(long pid, int pidfd, Path mem) {
    this.pid = pid;
    this.pidfd = pidfd;
    this.mem = mem;
  }

  /**
   * Opens process {@code pid}.
   *
   * @throws IOException saying why: no such process, or this kernel has no {@code pidfd_open} (before 5.3)
   */
  public static RemoteMemory open(ProcFs proc, long pid) throws IOException {
    try {
      int pidfd = (int) LinuxCalls.C.syscall(LinuxCalls.SYS_PIDFD_OPEN, pid, 0L);
      return new RemoteMemory(pid, pidfd, proc.memory(pid));
    } catch (LastErrorException e) {
      throw new IOException("pidfd_open(" + pid + ") failed: " + e.getMessage(), e);
    }
  }

  /**
   * Gives {@code advice} ({@link LinuxCalls#MADV_PAGEOUT}, {@link LinuxCalls#MADV_WILLNEED}) for
   * {@code length} bytes at {@code address} of the process, and returns how many bytes the kernel
   * advised: all of them, unless it failed part way.
   *
   * @throws IOException when the kernel refused before advising anything (its errno says why:
   *     EINVAL for an advice this kernel does not take remotely, EPERM without CAP_SYS_NICE)
   */
  public long advise(long address, long length, int advice) throws IOException {
    long done = 0;
    try (Memory iovec = new Memory(16)) {
      while (done < length) {
        long part = Math.min(MOST_PER_CALL, length - done);
        iovec.setLong(0, address + done);
        iovec.setLong(8, part);
        long advised = LinuxCalls.C.syscall(LinuxCalls.SYS_PROCESS_MADVISE, (long) pidfd, iovec, 1L, (long) advice, 0L);
        if (advised <= 0) {
          break;
        }
        done += advised;
      }
    } catch (LastErrorException e) {
      if (done == 0) {
        throw new IOException("process_madvise(pid " + pid + ", advice " + advice + ") failed: " + e.getMessage(), e);
      }
    }
    return done;
  }

  /** Reads every page of the range through {@code /proc/PID/mem}, so that each is resident when this returns. */
  public void touch(long address, long length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(READ_CHUNK);
    try (FileChannel channel = FileChannel.open(mem, StandardOpenOption.READ)) {
      for (long at = 0; at < length; ) {
        buffer.clear().limit((int) Math.min(READ_CHUNK, length - at));
        int read = channel.read(buffer, address + at);
        if (read <= 0) {
          throw new IOException("Reading " + mem + " stopped at offset " + Long.toHexString(address + at));
        }
        at += read;
      }
    }
  }

  @Override
  public void close() {
    LinuxCalls.C.close(pidfd);
  }
}
