package io.reshape.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

  @TempDir
  Path root;

  private void thread(long pid, long tid, String schedstat, String status) throws Exception {
    Path task = Files.createDirectories(root.resolve(pid + "/task/" + tid));
    Files.writeString(task.resolve("schedstat"), schedstat);
    Files.writeString(task.resolve("status"), status);
  }

  @Test
  void readsTheSchedulerCountersOfAThread() throws Exception {
    thread(10, 11, "123456789 2345 67\n", "Name:\tCPU 0/KVM\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t512\nnonvoluntary_ctxt_switches:\t7\n");
    assertThat(new ProcFs(root).thread(10, 11)).contains(new ThreadCounters(123456789, 2345, 512, 7));
  }

  @Test
  void aThreadThatIsGoneIsEmpty() throws Exception {
    assertThat(new ProcFs(root).thread(10, 99)).isEmpty();
  }

  @Test
  void findsGuestRamAsTheAnonymousMappingOfItsSize() throws Exception {
    Files.createDirectories(root.resolve("20"));
    Files.writeString(root.resolve("20/maps"), String.join("\n",
        "55d0c0a00000-55d0c1000000 r-xp 00000000 fd:01 123 /usr/bin/qemu-system-x86_64",
        "7f36a7e00000-7f36abe00000 rw-p 00000000 00:00 0 ",
        "7f36ac021000-7f36b0000000 ---p 00000000 00:00 0 ",
        "7f36b0000000-7f36b1000000 rw-p 00000000 00:00 0 ",
        "7f36c0000000-7f36c4000000 rw-s 00000000 00:01 77 /memfd:other (deleted)", ""));
    assertThat(new ProcFs(root).guestRam(20, 64L << 20)).contains(0x7f36a7e00000L);
    assertThat(new ProcFs(root).guestRam(20, 1L << 30)).isEmpty();
    assertThat(new ProcFs(root).guestRam(21, 64L << 20)).as("a process that is gone").isEmpty();
  }

  @Test
  void aGarbledLineSaysWhereAndWhat() throws Exception {
    thread(10, 12, "12x45 0 0\n", "voluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t1\n");
    assertThatThrownBy(() -> new ProcFs(root).thread(10, 12))
        .isInstanceOf(ProcFormatException.class).hasMessageContaining("schedstat").hasMessageContaining("'12x45' is not a counter");
    thread(10, 13, "1 2 3\n", "voluntary_ctxt_switches:\t1\n");
    assertThatThrownBy(() -> new ProcFs(root).thread(10, 13))
        .isInstanceOf(ProcFormatException.class).hasMessageContaining("no nonvoluntary_ctxt_switches line");
    thread(10, 14, "\n", "");
    assertThatThrownBy(() -> new ProcFs(root).thread(10, 14)).isInstanceOf(ProcFormatException.class).hasMessageContaining("fields");
  }
}
