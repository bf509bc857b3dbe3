package dev.tern.bench;

/** Progress lines on stderr (stdout is for the table). */
final class Progress {
    private Progress() {}

    static void of(String system, String what) {
        System.err.println("[" + system + "] " + what + " ...");
    }
}
