package io.reshape.local.process;

import java.nio.file.Path;
import java.util.List;

/** A parent for {@link OrphanGuardIT}: starts a child that would sleep forever, says its pid, waits. */
public final class ParentOfSleeper {

  private ParentOfSleeper() {}

  public static void main(String[] args) throws Exception {
    String testClasses = Path.of(Sleeper.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    ChildJvm child = ChildJvm.start("sleeper", List.of("-Xmx32m"), List.of(testClasses), Sleeper.class.getName(), List.of(), Path.of(args[0]));
    System.out.println("child " + child.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
