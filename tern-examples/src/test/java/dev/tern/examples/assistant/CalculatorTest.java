package dev.tern.examples.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.tern.examples.assistant.Calculator.CalculatorException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CalculatorTest {

    static Stream<Arguments> goodExpressions() {
        return Stream.of(
                // numbers
                Arguments.of("42", 42.0),
                Arguments.of(".5", 0.5),
                Arguments.of("2.", 2.0),
                Arguments.of("0.25", 0.25),
                Arguments.of("1e3", 1000.0),
                Arguments.of("2.5E-2", 0.025),
                Arguments.of("1E+2", 100.0),
                Arguments.of("2.e3", 2000.0),
                Arguments.of("1e-999", 0.0),
                // precedence and associativity
                Arguments.of("1 + 2 * 3", 7.0),
                Arguments.of("(1 + 2) * 3", 9.0),
                Arguments.of("10 - 4 - 3", 3.0),
                Arguments.of("100 / 10 / 5", 2.0),
                Arguments.of("2 * 3 % 4", 2.0),
                Arguments.of("7 % 3", 1.0),
                Arguments.of("-7 % 3", -1.0),
                Arguments.of("5.5 % 2", 1.5),
                Arguments.of("1 / 3", 1.0 / 3),
                Arguments.of("1 + 2 * 3 ^ 2", 19.0),
                Arguments.of("0.1 + 0.2", 0.1 + 0.2),
                // unary
                Arguments.of("-3", -3.0),
                Arguments.of("+3", 3.0),
                Arguments.of("--3", 3.0),
                Arguments.of("- - -3", -3.0),
                Arguments.of("2 - -3", 5.0),
                Arguments.of("2 * -3", -6.0),
                Arguments.of("-(2 + 3)", -5.0),
                Arguments.of("-".repeat(501) + "1", -1.0),
                // power
                Arguments.of("2 ^ 10", 1024.0),
                Arguments.of("2 ** 10", 1024.0),
                Arguments.of("2 ^ 3 ^ 2", 512.0),
                Arguments.of("2 ** 3 ** 2", 512.0),
                Arguments.of("-2 ^ 2", -4.0),
                Arguments.of("(-2) ^ 2", 4.0),
                Arguments.of("2 ^ -1", 0.5),
                Arguments.of("-2 ^ -2", -0.25),
                Arguments.of("2 ^ 2 * 3", 12.0),
                Arguments.of("0 ^ 0", 1.0),
                Arguments.of("4 ^ 0.5", Math.pow(4, 0.5)),
                // constants and functions, case-insensitive
                Arguments.of("pi", Math.PI),
                Arguments.of("e", Math.E),
                Arguments.of("2 * PI", 2 * Math.PI),
                Arguments.of("sqrt(16)", 4.0),
                Arguments.of("SQRT(2)", Math.sqrt(2)),
                Arguments.of("abs(-3.5)", 3.5),
                Arguments.of("ln(e)", Math.log(Math.E)),
                Arguments.of("log(e^2)", Math.log(Math.pow(Math.E, 2))),
                Arguments.of("log10(1000)", 3.0),
                Arguments.of("exp(1)", Math.exp(1)),
                Arguments.of("sin(0)", 0.0),
                Arguments.of("sin(pi / 2)", Math.sin(Math.PI / 2)),
                Arguments.of("cos(0)", 1.0),
                Arguments.of("tan(pi / 4)", Math.tan(Math.PI / 4)),
                Arguments.of("asin(1)", Math.asin(1)),
                Arguments.of("acos(1)", 0.0),
                Arguments.of("atan(1)", Math.atan(1)),
                Arguments.of("floor(-2.5)", -3.0),
                Arguments.of("ceil(2.1)", 3.0),
                Arguments.of("round(2.5)", 3.0),
                Arguments.of("round(-2.5)", -3.0),
                Arguments.of("round(2.4)", 2.0),
                Arguments.of("round(0.49999999999999994)", 0.0),
                Arguments.of("round(1e300)", 1e300),
                Arguments.of("min(3, 1, 2)", 1.0),
                Arguments.of("max(3, 1, 2)", 3.0),
                Arguments.of("min(7)", 7.0),
                Arguments.of("pow(2, 8)", 256.0),
                Arguments.of("Pow(2, -1)", 0.5),
                Arguments.of("max(1, min(5, 2 + 2)) * sqrt(abs(-9))", 12.0),
                Arguments.of("-sqrt(4)^2", -4.0),
                // whitespace anywhere
                Arguments.of(" \t( 1+2 )\n*  3 ", 9.0),
                Arguments.of("sqrt ( 4 )", 2.0),
                Arguments.of("min( 1 ,2 )", 1.0));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("goodExpressions")
    void evaluatesGoodExpressions(String expression, double expected) {
        assertThat(Calculator.evaluate(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "format({0}) = {1}")
    @CsvSource({
        "4, 4",
        "-12, -12",
        "0, 0",
        "-0.0, 0",
        "1e14, 100000000000000",
        "999999999999999, 999999999999999",
        "1e15, 1e15",
        "1e21, 1e21",
        "-1.5e21, -1.5e21",
        "123456789012345678, 1.23456789012e17",
        "0.3333333333333333, 0.333333333333",
        "3.141592653589793, 3.14159265359",
        "-2.5, -2.5",
        "0.30000000000000004, 0.3",
        "0.000001, 0.000001",
        "1e-7, 1e-7",
        "-1.5e-10, -1.5e-10",
        "0.6666666666666666, 0.666666666667",
        "1234.5, 1234.5",
        "0.999999999999999, 1"
    })
    void formatsResults(double value, String expected) {
        assertThat(Calculator.format(value)).isEqualTo(expected);
    }

    @Test
    void formattedResultsReadBack() {
        for (double value : new double[] {1e21, -1.5e-7, 1.0 / 3, Math.PI, 123456789012345678.0}) {
            assertThat(Calculator.evaluate(Calculator.format(value))).isCloseTo(value, withinPercentage(1e-8));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "\"\"| empty expression",
                "\"   \"| empty expression",
                "1 + 2)| unexpected ')' at position 6",
                "(1 + 2| expected ')' at position 7",
                "sqrt(4 5)| expected ')' at position 8",
                "foo(1)| unknown function 'foo' at position 1",
                "2 * bar| unknown name 'bar' at position 5",
                "pi(2)| unknown function 'pi' at position 1",
                "sqrt 4| expected '(' after 'sqrt' at position 6",
                "2(3)| unexpected '(' at position 2",
                "2pi| unexpected 'pi' at position 2",
                "2e| unexpected 'e' at position 2",
                "1 2.5| unexpected '2.5' at position 3",
                "1 +| unexpected end of expression at position 4",
                "1 + * 2| unexpected '*' at position 5",
                "2 ^^ 3| unexpected '^' at position 4",
                "2 *** 3| unexpected '*' at position 5",
                "1, 2| unexpected ',' at position 2",
                "(  )| unexpected ')' at position 4",
                ". + 1| invalid number '.' at position 1",
                "3 $ 4| unexpected '$' at position 3",
                "1e999| number '1e999' is too large at position 1",
                "1 / 0| division by zero",
                "5 % (2 - 2)| division by zero",
                "1 / -0| division by zero",
                "sqrt(-1)| result is not a finite number",
                "ln(0)| result is not a finite number",
                "1e308 * 10| result is not a finite number",
                "0 ^ -1| result is not a finite number",
                "asin(2)| result is not a finite number",
                "exp(1000)| result is not a finite number",
                "sqrt(1, 2)| sqrt expects 1 argument, got 2",
                "SQRT()| sqrt expects 1 argument, got 0",
                "pow(2)| pow expects 2 arguments, got 1",
                "min()| min expects at least 1 argument, got 0",
                "max(1,)| unexpected ')' at position 7"
            })
    void reportsErrorsClearly(String expression, String message) {
        assertThatThrownBy(() -> Calculator.evaluate(expression))
                .isInstanceOf(CalculatorException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void nullIsAnEmptyExpression() {
        assertThatThrownBy(() -> Calculator.evaluate(null))
                .isInstanceOf(CalculatorException.class)
                .hasMessage("empty expression");
    }

    @Test
    void limitsLength() {
        assertThat(Calculator.evaluate("1" + "+1".repeat(499) + " ")).isEqualTo(500.0); // exactly 1000 characters
        assertThatThrownBy(() -> Calculator.evaluate("1" + "+1".repeat(500)))
                .isInstanceOf(CalculatorException.class)
                .hasMessage("expression longer than 1000 characters");
        assertThatThrownBy(() -> Calculator.evaluate("(".repeat(10_000)))
                .isInstanceOf(CalculatorException.class)
                .hasMessage("expression longer than 1000 characters");
    }

    @Test
    void limitsNestingWithoutOverflowingTheStack() {
        assertThat(Calculator.evaluate("(".repeat(64) + "1" + ")".repeat(64))).isEqualTo(1.0);
        assertThat(Calculator.evaluate("sqrt(".repeat(63) + "1" + ")".repeat(63)))
                .isEqualTo(1.0);
        for (String deep : new String[] {
            "(".repeat(65) + "1" + ")".repeat(65),
            "(".repeat(999),
            "abs(".repeat(200),
            "-(".repeat(300),
            "1" + "^1".repeat(499),
            "2**(".repeat(200)
        }) {
            assertThatThrownBy(() -> Calculator.evaluate(deep))
                    .isInstanceOf(CalculatorException.class)
                    .hasMessage("nesting deeper than 64 levels");
        }
    }

    @Test
    void messagesNeverMentionJava() {
        for (String bad : new String[] {"", "1/0", "sqrt(-1)", "foo(1)", "(", "1e999", "\uD83D\uDE00", "min()"}) {
            assertThatThrownBy(() -> Calculator.evaluate(bad))
                    .message()
                    .doesNotContain("java", "Exception", "Calculator", "Double", "NaN", "Infinity");
        }
    }
}
