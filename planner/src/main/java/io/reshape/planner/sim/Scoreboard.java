package io.reshape.planner.sim;

/**
 * The figures the consolidation literature judges a policy by, accumulated over a run as CloudSim's
 * PlanetLab experiments define them:
 * <ul>
 *   <li>energy: the integral of every powered host's draw (a host with no VM is off, 0 W);
 *   <li>SLATAH: the share of active-host time during which a host's allocated MIPS were below
 *       what its VMs requested (the host at 100%);
 *   <li>PDM: MIPS left unallocated because of migration, over all MIPS requested;
 *   <li>SLAV = SLATAH x PDM, ESV = energy x SLAV, and the number of migrations.
 * </ul>
 * Everything is added in exact amounts (joules, seconds, MIPS-seconds), so a run's figures do not
 * depend on how its steps were cut.
 */
public final class Scoreboard {

  private double joules;
  private double activeHostSeconds;
  private double overloadedHostSeconds;
  private double requestedMipsSeconds;
  private double migrationShortfallMipsSeconds;
  private long migrations;
  private double ramOverHostSeconds;
  private double pagedOutByteSeconds;

  /** A host powered for {@code seconds} at {@code watts}, CPU overloaded or not, holding more memory than its RAM or not. */
  public void hostInterval(double seconds, double watts, boolean overloaded, boolean overRam) {
    joules += watts * seconds;
    activeHostSeconds += seconds;
    if (overloaded) {
      overloadedHostSeconds += seconds;
    }
    if (overRam) {
      ramOverHostSeconds += seconds;
    }
  }

  /** {@code bytes} of a VM's memory paged out for {@code seconds}. */
  public void pagedOut(double seconds, double bytes) {
    pagedOutByteSeconds += bytes * seconds;
  }

  /** A VM that requested {@code mips} for {@code seconds} and, being migrated, got {@code shortfallMips} less. */
  public void vmInterval(double seconds, double mips, double migrationShortfallMips) {
    requestedMipsSeconds += mips * seconds;
    migrationShortfallMipsSeconds += migrationShortfallMips * seconds;
  }

  public void migration() {
    migrations++;
  }

  public Score score() {
    double slatah = activeHostSeconds == 0 ? 0 : overloadedHostSeconds / activeHostSeconds;
    double pdm = requestedMipsSeconds == 0 ? 0 : migrationShortfallMipsSeconds / requestedMipsSeconds;
    double kwh = joules / 3.6e6;
    double ramOver = activeHostSeconds == 0 ? 0 : ramOverHostSeconds / activeHostSeconds;
    return new Score(kwh, migrations, slatah, pdm, slatah * pdm, kwh * slatah * pdm, activeHostSeconds, ramOver,
        pagedOutByteSeconds / 3600 / (1L << 30));
  }

  /**
   * @param energyKwh energy drawn, kWh
   * @param slatah share of active-host time spent overloaded, 0 to 1
   * @param pdm share of requested MIPS lost to migrations, 0 to 1
   * @param slav slatah x pdm
   * @param esv energy x slav
   * @param activeHostSeconds host-seconds powered
   * @param ramOvercommit share of active-host time a host held more memory than its RAM, 0 to 1
   * @param pagedOutGibHours memory paged out, GiB-hours
   */
  public record Score(double energyKwh, long migrations, double slatah, double pdm, double slav, double esv,
      double activeHostSeconds, double ramOvercommit, double pagedOutGibHours) {}
}
