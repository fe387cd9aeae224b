package io.reshape.planner;

/** One way of changing a cell for the better; it adds its decisions, and what it left and why, to the cycle. */
interface Lever {

  /** Its name in plan records. */
  String name();

  void plan(Cycle cycle);
}
