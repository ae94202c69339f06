/** Prints one stderr line as main() starts, then idles: the "no agent" reference for startup. */
public class StartupMain {
  public static void main(String[] args) throws Exception {
    System.err.println("main: started");
    Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "3000"));
  }
}
