package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code :name} parameters become JDBC placeholders; casts and quoted text stay as written. */
class NamedSqlTest {

    @Test
    void namesBecomePlaceholdersBoundInTheirOrder() {
        NamedSql sql = NamedSql.parse("""
        SELECT :runId::text, pg_notify('tern_signals', 'WORK:' || :runId), :at::bigint
        WHERE x LIKE 'limit:%' AND y = :y_2""");
        assertThat(sql.jdbc()).isEqualTo("""
        SELECT ?::text, pg_notify('tern_signals', 'WORK:' || ?), ?::bigint
        WHERE x LIKE 'limit:%' AND y = ?""");
        assertThat(sql.names()).containsExactly("runId", "runId", "at", "y_2");
        assertThat(sql.args(NamedSql.Params.of("runId", "r").and("at", 5L).and("y_2", null)))
                .containsExactly("r", "r", 5L, null);
    }

    @Test
    void aMissingOrTwiceGivenValueIsRefused() {
        NamedSql sql = NamedSql.parse("UPDATE runs SET a = :a WHERE id = :id");
        assertThatThrownBy(() -> sql.args(NamedSql.Params.of("a", 1))).hasMessageContaining(":id");
        assertThatThrownBy(() -> NamedSql.Params.of("a", 1).and("a", 2)).hasMessageContaining(":a");
        assertThat(sql.args(NamedSql.Params.of("a", 1).and("a", 1).and("id", "r")))
                .containsExactly(1, "r");
    }

    @Test
    void manyNamesEachKeepTheirValueAsTheParamsGrow() {
        StringBuilder text = new StringBuilder("SELECT 1");
        NamedSql.Params params = NamedSql.Params.of("first", "f");
        // built names (not literals), "Aa…" and "BB…" hashing alike in pairs
        for (int i = 0; i < 100; i++) {
            text.append(", :Aa").append(i).append(", :BB").append(i);
            params.and("Aa" + i, (long) i).and("BB" + i, "v" + i);
        }
        text.append(", :first");
        Object[] args = NamedSql.parse(text.toString()).args(params.and("Aa7", 7L));
        assertThat(args).hasSize(201);
        for (int i = 0; i < 100; i++) {
            assertThat(args[2 * i]).isEqualTo((long) i);
            assertThat(args[2 * i + 1]).isEqualTo("v" + i);
        }
        assertThat(args[200]).isEqualTo("f");
        assertThat(("Aa" + 5).hashCode()).isEqualTo(("BB" + 5).hashCode());
        assertThatThrownBy(() -> params.and("BB" + 99, "other")).hasMessageContaining(":BB99");
        assertThatThrownBy(() -> params.value("Aa100")).hasMessageContaining(":Aa100");
    }

    @Test
    void sizedAndJoinedParamsKeepEveryValue() {
        NamedSql.Params creation = NamedSql.Params.sized(2);
        for (int i = 0; i < 40; i++) creation.and("c" + i, i); // past the size it was given
        NamedSql.Params checkpoint = NamedSql.Params.of("runId", "r");
        for (int i = 0; i < 30; i++) checkpoint.and("k" + i, "v" + i);
        creation.and("runId", "r");

        NamedSql.Params both = NamedSql.Params.sized(creation.size() + checkpoint.size())
                .andAll(creation)
                .andAll(checkpoint); // runId in both, with the same value: once
        assertThat(both.size()).isEqualTo(40 + 1 + 30);
        for (int i = 0; i < 40; i++) assertThat(both.value("c" + i)).isEqualTo(i);
        for (int i = 0; i < 30; i++) assertThat(both.value("k" + i)).isEqualTo("v" + i);
        assertThat(both.value("runId")).isEqualTo("r");
        assertThatThrownBy(() -> NamedSql.Params.sized(8).andAll(creation).andAll(NamedSql.Params.of("c3", 4)))
                .hasMessageContaining(":c3");
    }

    @Test
    void namesThatDifferInTheirLastDigitsAreFoundNearTheirHomeSlots() {
        // a joined batch of 64 checkpoints: every column's name numbered 1..64, hashes consecutive within each family
        List<String> names = new ArrayList<>();
        for (String base : List.of(
                "runId",
                "seq",
                "name",
                "kind",
                "status",
                "input",
                "output",
                "error",
                "attempts",
                "startedAt",
                "completedAt",
                "runAttempt",
                "stepType",
                "type",
                "at",
                "attempt",
                "stepSeq",
                "data")) {
            for (int i = 1; i <= 64; i++) names.add(base + i);
        }
        NamedSql.Params params = NamedSql.Params.sized(names.size());
        for (String name : names) params.and(name, name);
        long walked = 0;
        for (String name : names) {
            assertThat(params.value(name)).isEqualTo(name);
            walked += params.slotsWalked(name);
        }
        assertThat((double) walked / names.size())
                .as("slots walked past home, on average")
                .isLessThan(0.5);
    }
}
