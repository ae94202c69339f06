/** A named module for ModularAppTest: nothing required beyond java.base, nothing opened. */
module app {
  exports app;
}
