package io.reshape.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reshape} command. */
@Command(name = "reshape", mixinStandardHelpOptions = true, subcommands = {RunCommand.class, CollectCommand.class, EvaluateCommand.class},
    description = "Reshape: consolidates a KVM fleet from what its hosts report.")
public final class ReshapeCommand {

  /** Packages whose classes Avro may instantiate; must be set before Avro loads. */
  private static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

  private ReshapeCommand() {}

  public static void main(String[] args) {
    if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
      System.setProperty(AVRO_TRUSTED_PACKAGES, "io.reshape.events");
    }
    System.exit(new CommandLine(ReshapeCommand.class)
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
