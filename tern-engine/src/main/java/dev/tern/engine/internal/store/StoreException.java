package dev.tern.engine.internal.store;

/** The database failed (unreachable, full, corrupt): not the caller's fault, worth a retry later. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
