package dev.tern.engine.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.InboxEvent;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The typed step records read what earlier versions of Tern wrote and write it back byte for byte: each line below is a
 * step output as it was written before the records existed.
 */
class StepOutcomeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
      sleep | {"wakeAt":"2020-01-01T00:00:01.123456789Z"}
      sleep | {"wakeAt":"2020-01-01T00:00:01Z"}
      event | {"eventName":"go","inboxSequence":7,"eventInput":{"text":"hi"}}
      event | {"eventName":"go","inboxSequence":7,"eventInput":null}
      event | {"timedOut":true}
      human | {"interactionId":"int_00000000000000000001"}
      human | {"interactionId":"int_00000000000000000001","timeoutAt":"2020-01-01T00:05:00Z"}
      human | {"interactionId":"int_00000000000000000001","answer":{"approved":true}}
      human | {"interactionId":"int_00000000000000000001","answer":null}
      human | {"interactionId":"int_00000000000000000001","timedOut":true}
      childStart | {"childRunId":"run_abc","name":"square"}
      child | {"childRunId":"run_abc","status":"completed","output":{"n":9}}
      child | {"childRunId":"run_abc","status":"completed","output":null}
      child | {"childRunId":"run_abc","status":"completed"}
      child | {"childRunId":"run_a","status":"failed","error":{"type":"Boom","message":"b","step":null,"errorId":null}}
      """)
    void recordedOutputsReadAndWriteBackUnchanged(String kind, String recorded) {
        Function<JsonNode, StepOutcome> reader = switch (kind) {
            case "sleep" -> StepOutcome.Sleep::from;
            case "event" -> StepOutcome.Event::from;
            case "human" -> StepOutcome.Human::from;
            case "childStart" -> StepOutcome.ChildStarted::from;
            case "child" -> StepOutcome.Child::from;
            default -> throw new IllegalArgumentException(kind);
        };
        assertThat(Json.write(reader.apply(Json.parse(recorded)).toJson())).isEqualTo(recorded);
    }

    @Test
    void outcomesWrittenLiveHaveTheRecordedShape() {
        InboxEvent go = new InboxEvent(3, "go", Json.parse("{\"x\":1}"), Instant.EPOCH);
        assertThat(Json.write(StepOutcome.Event.received(go).toJson()))
                .isEqualTo("{\"eventName\":\"go\",\"inboxSequence\":3,\"eventInput\":{\"x\":1}}");
        assertThat(Json.write(StepOutcome.Event.timeout().toJson())).isEqualTo("{\"timedOut\":true}");
        assertThat(Json.write(StepOutcome.Human.asked("int_1", null).toJson()))
                .isEqualTo("{\"interactionId\":\"int_1\"}");
        assertThat(Json.write(StepOutcome.Human.answered("int_1", null).toJson()))
                .isEqualTo("{\"interactionId\":\"int_1\",\"answer\":null}");
        assertThat(Json.write(StepOutcome.Human.timeout("int_1").toJson()))
                .isEqualTo("{\"interactionId\":\"int_1\",\"timedOut\":true}");
        assertThat(Json.write(StepOutcome.Human.timeout("int_1").completedData(StepNames.HUMAN)))
                .isEqualTo("{\"name\":\"human\",\"interactionId\":\"int_1\"}");
        assertThat(Json.write(new StepOutcome.Child("run_a", "failed", null, null).completedData("await:run_a")))
                .isEqualTo("{\"name\":\"await:run_a\",\"childStatus\":\"failed\"}");
        assertThat(Json.write(new StepOutcome.Sleep(Instant.EPOCH).completedData(StepNames.SLEEP)))
                .isEqualTo("{\"name\":\"sleep\"}");
    }

    @Test
    void aFailedChildKeepsItsErrorTypeAndMessage() {
        StepOutcome.Child failed = StepOutcome.Child.from(Json.parse(
                "{\"childRunId\":\"run_a\",\"status\":\"failed\",\"error\":{\"type\":\"Boom\",\"message\":\"bad\"}}"));
        assertThat(failed.completed()).isFalse();
        assertThat(failed.errorType()).isEqualTo("Boom");
        assertThat(failed.errorMessage()).isEqualTo("bad");
        StepOutcome.Child cancelled =
                StepOutcome.Child.from(Json.parse("{\"childRunId\":\"run_a\",\"status\":\"cancelled\"}"));
        assertThat(cancelled.errorType()).isNull();
    }
}
