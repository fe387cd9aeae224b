package io.reshape.planner;

import java.util.function.UnaryOperator;

/**
 * Which cell an input belongs to: a host's cell is its inventory label (or {@link
 * CellInputs#DEFAULT_CELL}); a VM's, its host's; a pair's, its first VM's. What the inventory said
 * so far of hosts' cells and VMs' hosts is the caller's to keep (broadcast state in the planner job).
 */
public final class CellRouter {

  private CellRouter() {}

  /**
   * @param cellOfHost a host's cell, null when not known
   * @param hostOfVm a VM's host, null when not known
   */
  public static String cellOf(PlannerInput input, UnaryOperator<String> cellOfHost, UnaryOperator<String> hostOfVm) {
    if (input.kind == PlannerInput.Kind.HOST) {
      return CellInputs.cellOf(input.host);
    }
    String host = input.hostId();
    if (host == null) {
      String vm = input.vmId() != null ? input.vmId() : firstVm(input);
      host = vm == null ? null : hostOfVm.apply(vm);
    }
    String cell = host == null ? null : cellOfHost.apply(host);
    return cell != null ? cell : CellInputs.DEFAULT_CELL;
  }

  private static String firstVm(PlannerInput input) {
    return switch (input.kind) {
      case AFFINITY -> input.affinity.getVmA();
      case SHARING -> input.sharing.getVmA();
      default -> null;
    };
  }
}
