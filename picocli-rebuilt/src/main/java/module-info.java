/** picocli's module, declared as its published jar declares it, so builds that stop before packaging still resolve it. */
module info.picocli {
    requires static java.sql;

    exports picocli;
}
