package io.reshape.actuator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandJournalTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);

  @TempDir
  Path dir;

  @Test
  void remembersAcrossRestartsWhatWasBegunAndFinished() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T)) {
      journal.begun("c1", T, T);
      journal.finished("c1", T, Outcome.APPLIED, "qmp", "paged out 2 GiB", T.plusSeconds(1));
      journal.begun("c2", T, T.plusSeconds(2));
    }
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T.plusSeconds(10))) {
      CommandJournal.Entry c1 = journal.find("c1").orElseThrow();
      assertThat(c1.finished()).isTrue();
      assertThat(c1.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(c1.detail()).isEqualTo("paged out 2 GiB");
      assertThat(c1.begunAt()).isEqualTo(T);
      assertThat(c1.decidedAt()).isEqualTo(T);
      CommandJournal.Entry c2 = journal.find("c2").orElseThrow();
      assertThat(c2.finished()).as("begun, then the executor stopped").isFalse();
      assertThat(journal.find("c3")).isEmpty();
    }
  }

  @Test
  void aLineTornByACrashIsIgnored() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T)) {
      journal.begun("c1", T, T);
    }
    Files.writeString(dir.resolve("commands.journal"), "{\"event\":\"fini", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T)) {
      assertThat(journal.find("c1")).hasValueSatisfying(e -> assertThat(e.finished()).isFalse());
    }
  }

  @Test
  void forgetsACommandOnlyOnceItsDecisionAndItsLastEventAreOlderThanTheRetention() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T)) {
      journal.begun("old", T, T);
      journal.finished("old", T, Outcome.DRY_RUN, "dry-run", "would page out", T);
      journal.begun("stuck", T, T);
      // Finished late: remembered for a week after it was last touched.
      journal.begun("slow", T, T);
      journal.finished("slow", T, Outcome.APPLIED, "qmp", "migrated", T.plus(Duration.ofDays(2)));
      // Decided in the future by a host whose clock ran ahead: remembered until a week after that.
      journal.finished("ahead", T.plus(Duration.ofDays(3)), Outcome.EXPIRED, "dry-run", "deadline passed", T);
    }
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T.plus(Duration.ofDays(8)))) {
      assertThat(journal.find("old")).isEmpty();
      assertThat(journal.find("stuck")).as("in doubt, but decided too long ago to be accepted again").isEmpty();
      assertThat(journal.find("slow")).isPresent();
      assertThat(journal.find("ahead")).isPresent();
      assertThat(journal.size()).isEqualTo(2);
    }
    assertThat(Files.readAllLines(dir.resolve("commands.journal"))).hasSize(3);
  }

  @Test
  void keepsTheCommandsItAcceptedWholeAndWhereEachOneGot() throws Exception {
    HostCommand migrate = HostCommand.newBuilder().setCommandId("m1@host-1").setDecisionId("m1").setHostId("host-1")
        .setAction(Action.MIGRATE).setVmId("vm-1").setDestinationHostId("host-2")
        .setParameters(Map.of("bytesToSend", "24576")).setDecidedAt(T).setDeadline(T.plusSeconds(300)).build();
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T)) {
      journal.accepted(migrate, T);
      journal.accepted(HostCommand.newBuilder(migrate).setCommandId("m2@host-1").build(), T);
      journal.accepted(HostCommand.newBuilder(migrate).setCommandId("m3@host-1").build(), T);
      journal.accepted(HostCommand.newBuilder(migrate).setCommandId("m4@host-1").build(), T);
      journal.begun("m2@host-1", T, T.plusSeconds(1));
      journal.begun("m3@host-1", T, T.plusSeconds(1));
      journal.finished("m3@host-1", T, Outcome.APPLIED, "qmp", "migrated", T.plusSeconds(2));
      journal.begun("m4@host-1", T, T.plusSeconds(1));
      journal.finished("m4@host-1", T, Outcome.APPLIED, "qmp", "migrated", T.plusSeconds(2));
      journal.reported("m4@host-1", T.plusSeconds(3));
    }
    try (CommandJournal journal = CommandJournal.open(dir, WEEK, T.plusSeconds(10))) {
      assertThat(journal.find("m1@host-1")).hasValueSatisfying(e -> assertThat(e.command()).isEqualTo(migrate));
      assertThat(journal.waiting()).extracting(CommandJournal.Entry::commandId).containsExactly("m1@host-1");
      assertThat(journal.interrupted()).extracting(CommandJournal.Entry::commandId).containsExactly("m2@host-1");
      assertThat(journal.unreported()).extracting(CommandJournal.Entry::commandId).containsExactly("m3@host-1");
      assertThat(journal.find("m4@host-1")).hasValueSatisfying(e -> assertThat(e.reported()).isTrue());
    }
  }
}
