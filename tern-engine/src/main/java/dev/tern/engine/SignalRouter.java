package dev.tern.engine;

import dev.tern.engine.internal.exec.Dispatcher;
import dev.tern.engine.internal.store.Signal;
import java.util.function.Consumer;

/**
 * Passes on what other nodes tell this one through the store (new work, events, cancels, ended runs, grown histories)
 * to the dispatcher and to whoever waits for a run here.
 */
final class SignalRouter implements Consumer<Signal> {
    private final Dispatcher dispatcher;
    private final FinishWatch finishes;
    private final HistoryWatch historyWatch;

    SignalRouter(Dispatcher dispatcher, FinishWatch finishes, HistoryWatch historyWatch) {
        this.dispatcher = dispatcher;
        this.finishes = finishes;
        this.historyWatch = historyWatch;
    }

    @Override
    public void accept(Signal signal) {
        switch (signal.kind()) {
            case WORK, TIMER -> {
                dispatcher.nudge();
                if (signal.runId() == null) historyWatch.changedAll();
            }
            case EVENT -> dispatcher.signal(signal.runId());
            case CANCEL -> {
                dispatcher.cancelLocal(signal.runId());
                dispatcher.signal(signal.runId());
            }
            case DONE -> {
                finishes.finished(signal.runId());
                historyWatch.changed(signal.runId());
            }
            case HISTORY -> historyWatch.changed(signal.runId());
            case LIMIT -> dispatcher.permitReleased(signal.runId());
        }
    }
}
