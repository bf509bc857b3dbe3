package dev.tern.engine.internal.exec;

/** A sleep of a background loop that an interrupt cuts short (the interrupt stays set for the loop to see). */
final class Pause {
    private Pause() {}

    static void quietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
