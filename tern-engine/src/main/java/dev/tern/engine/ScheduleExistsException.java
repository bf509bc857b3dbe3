package dev.tern.engine;

/** A schedule with the requested id already exists; ids are never reused silently. */
public final class ScheduleExistsException extends TernException {
    private static final long serialVersionUID = 1L;
    private final String scheduleId;

    public ScheduleExistsException(String scheduleId) {
        super("schedule '" + scheduleId + "' already exists");
        this.scheduleId = scheduleId;
    }

    public String scheduleId() {
        return scheduleId;
    }
}
