package io.reshape.local.cli;

import io.reshape.schemas.serde.TrustedPackages;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reshape} command. */
@Command(name = "reshape", mixinStandardHelpOptions = true,
    subcommands = {RunCommand.class, AgentCommand.class, CollectCommand.class, ExecuteCommand.class, EvaluateCommand.class, RecordCommand.class, ReplayCommand.class},
    description = "Reshape: consolidates a KVM fleet from what its hosts report.")
public final class ReshapeCommand {

  /** The log file when RESHAPE_LOG names none (log4j2.xml); read when the first logger is made. */
  private static final String LOG_FILE_PROPERTY = "reshape.log.file";
  /** Commands that often run beside a run, in the same folder. */
  private static final Set<String> LOGS_OF_THEIR_OWN = Set.of("record", "replay");

  private ReshapeCommand() {}

  public static void main(String[] args) {
    TrustedPackages.trustEvents();
    System.exit(new CommandLine(ReshapeCommand.class)
        .setExecutionStrategy(parsed -> {
          String command = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : "";
          if (LOGS_OF_THEIR_OWN.contains(command)) {
            System.setProperty(LOG_FILE_PROPERTY, "reshape-" + command + ".log");
          }
          return new CommandLine.RunLast().execute(parsed);
        })
        .setExecutionExceptionHandler((error, command, parsed) -> {
          // A configuration the user can fix: say what is wrong, without a stack trace.
          if (error instanceof IllegalArgumentException) {
            command.getErr().println(command.getCommandName() + ": " + error.getMessage());
            return 2;
          }
          throw error;
        })
        .execute(args));
  }
}
