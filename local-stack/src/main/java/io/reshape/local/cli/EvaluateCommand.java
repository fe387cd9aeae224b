package io.reshape.local.cli;

import io.reshape.local.Directories;
import io.reshape.local.evaluation.Evaluation;
import io.reshape.planner.PlannerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reshape evaluate}: the planner on days of PlanetLab traces, scored as CloudSim scores its policies. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {
        "Runs the planner on each day of PlanetLab CPU traces in DIR (a folder of day folders, or one day folder: one file",
        "per VM, 288 lines of CPU percent), on CloudSim's model of 800 hosts, through the whole pipeline on this machine",
        "(or in this process with --offline). Prints a SCORE line per day and a table beside CloudSim's published figures,",
        "where the README next to the traces has them, and beside each day's packing limit."})
public final class EvaluateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "DIR", description = "A folder of day folders, or one day folder.")
  Path folder;

  @Option(names = "--offline", description = "Run the planner in this process, without Kafka: seconds a day, the same decisions.")
  boolean offline;

  @Option(names = "--enforce-memory", description = "Let hosts hold no more resident memory than their RAM (CloudSim does not).")
  boolean enforceMemory;

  @Override
  public Integer call() throws Exception {
    PlannerSettings planner = PlannerSettings.defaults().toBuilder().enforceMemory(enforceMemory).build();
    Path work = Files.createTempDirectory("reshape-evaluate-");
    try {
      new Evaluation(planner, offline, System.out, System.err, work).run(folder);
      return 0;
    } finally {
      Directories.delete(work);
    }
  }
}
