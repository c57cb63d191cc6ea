/* Prints --add-exports options that export every package of the boot layer to the modules named in the argument (native-toolchain.sh). */
public class Exports {
    public static void main(String[] a) {
        String to = String.join(",", a);
        for (Module m : ModuleLayer.boot().modules()) {
            for (String p : m.getPackages()) {
                System.out.println("--add-exports=" + m.getName() + "/" + p + "=" + to);
            }
        }
    }
}
