package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
