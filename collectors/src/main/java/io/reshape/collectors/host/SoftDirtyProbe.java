package io.reshape.collectors.host;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether this kernel tracks soft-dirty pages, seen rather than assumed: kernels without it accept
 * the {@code 4} in {@code clear_refs} all the same and simply never set bit 55. So the probe writes
 * a page of its own, clears the bits, checks the page reads clean, writes it again and checks it
 * reads dirty.
 */
public final class SoftDirtyProbe {

  private static final int PAGE_SIZE = 4096;
  private static final long SOFT_DIRTY = 1L << 55;

  private SoftDirtyProbe() {}

  public static boolean works(Path proc) {
    ByteBuffer memory = ByteBuffer.allocateDirect(2 * PAGE_SIZE);
    long address = Pointer.nativeValue(Native.getDirectBufferPointer(memory));
    long page = (address + PAGE_SIZE - 1) & -PAGE_SIZE;
    int offset = (int) (page - address);
    try {
      memory.put(offset, (byte) 1);
      Files.writeString(proc.resolve("self/clear_refs"), "4", StandardCharsets.US_ASCII);
      boolean cleanAfterClear = (entry(proc, page) & SOFT_DIRTY) == 0;
      memory.put(offset, (byte) 2);
      boolean dirtyAfterWrite = (entry(proc, page) & SOFT_DIRTY) != 0;
      return cleanAfterClear && dirtyAfterWrite;
    } catch (IOException e) {
      return false;
    }
  }

  private static long entry(Path proc, long address) throws IOException {
    ByteBuffer entry = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());
    try (FileChannel pagemap = FileChannel.open(proc.resolve("self/pagemap"), StandardOpenOption.READ)) {
      pagemap.read(entry, address / PAGE_SIZE * Long.BYTES);
    }
    return entry.flip().getLong();
  }
}
