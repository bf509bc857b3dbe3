package dev.tern.engine;

/** No schedule with that id. */
public final class ScheduleNotFoundException extends TernException {
    private static final long serialVersionUID = 1L;
    private final String scheduleId;

    public ScheduleNotFoundException(String scheduleId) {
        super("schedule '" + scheduleId + "' not found");
        this.scheduleId = scheduleId;
    }

    public String scheduleId() {
        return scheduleId;
    }
}
