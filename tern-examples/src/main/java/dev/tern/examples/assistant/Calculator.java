package dev.tern.examples.assistant;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The safe arithmetic evaluator behind the demo assistant's {@code calculate} tool: the model sends an expression as
 * text, {@link #evaluate} computes it with a small hand-written recursive-descent parser (no script engine, no
 * reflection, nothing but arithmetic on doubles), and {@link #format} renders the result for the model to read.
 *
 * <p>Accepted, from loosest to tightest binding:
 *
 * <ul>
 *   <li>{@code + -}, then {@code * / %} (all left-associative; {@code %} is the remainder, with the sign of the
 *       dividend);
 *   <li>unary {@code +} and {@code -};
 *   <li>{@code ^} or {@code **}, power, right-associative ({@code 2^3^2} = 512) and tighter than a unary minus on its
 *       left ({@code -2^2} = -4) while taking one on its right ({@code 2^-1} = 0.5);
 *   <li>numbers ({@code 42}, {@code .5}, {@code 2.}, {@code 1e3}, {@code 2.5E-2}), parentheses, the constants
 *       {@code pi} and {@code e}, and the functions {@code sqrt abs ln log log10 exp sin cos tan asin acos atan floor
 *       ceil round pow(a,b) min(a,...) max(a,...)}: {@code log} is the natural logarithm, angles are in radians,
 *       {@code round} rounds halves away from zero.
 * </ul>
 *
 * <p>Names are case-insensitive, whitespace may appear between any two tokens, and implicit multiplication
 * ({@code 2(3)}, {@code 2pi}) is an error. Every problem, including a result that is not a finite number, is a
 * {@link CalculatorException} whose message is meant to be shown to the model as-is ({@code unexpected ')' at position
 * 5}). Input is capped at {@value #MAX_LENGTH} characters and {@value #MAX_DEPTH} levels of nesting, so hostile input
 * cannot exhaust the stack.
 */
public final class Calculator {
    /** The longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 1000;
    /** The deepest nesting of parentheses, function calls and powers accepted. */
    public static final int MAX_DEPTH = 64;

    /** A problem with an expression, in plain English, with its 1-based position where one applies. */
    public static final class CalculatorException extends IllegalArgumentException {
        CalculatorException(String message) {
            super(message);
        }
    }

    private record Fn(int arity, ToDoubleFunction<double[]> body) {} // arity -1: one or more

    private static final Map<String, Double> CONSTANTS = Map.of("pi", Math.PI, "e", Math.E);
    private static final Map<String, Fn> FUNCTIONS = Map.ofEntries(
            one("sqrt", Math::sqrt),
            one("abs", Math::abs),
            one("ln", Math::log),
            one("log", Math::log),
            one("log10", Math::log10),
            one("exp", Math::exp),
            one("sin", Math::sin),
            one("cos", Math::cos),
            one("tan", Math::tan),
            one("asin", Math::asin),
            one("acos", Math::acos),
            one("atan", Math::atan),
            one("floor", Math::floor),
            one("ceil", Math::ceil),
            one("round", Calculator::roundHalfAway),
            Map.entry("pow", new Fn(2, a -> Math.pow(a[0], a[1]))),
            Map.entry("min", new Fn(-1, a -> Arrays.stream(a).min().orElseThrow())),
            Map.entry("max", new Fn(-1, a -> Arrays.stream(a).max().orElseThrow())));

    private final String text;
    private int pos;
    private int depth;

    private Calculator(String text) {
        this.text = text;
    }

    /** Evaluates {@code expression}; the result is always finite. Throws {@link CalculatorException}. */
    public static double evaluate(String expression) {
        if (expression != null && expression.length() > MAX_LENGTH) {
            throw new CalculatorException("expression longer than " + MAX_LENGTH + " characters");
        }
        if (expression == null || expression.isBlank()) throw new CalculatorException("empty expression");
        Calculator parser = new Calculator(expression);
        double value = parser.sum();
        parser.skipSpace();
        if (parser.pos < expression.length()) throw parser.unexpected();
        return value;
    }

    /**
     * Renders a result for the model: integers below 10^15 exactly and without {@code .0} ({@code 4}, {@code -12});
     * anything else with at most 12 significant digits and no trailing zeros, in plain form ({@code 0.333333333333},
     * {@code 3.14159265359}) or, below 10^-6 and from 10^15 up, in a scientific form that {@link #evaluate} reads back
     * ({@code 1e21}, {@code -1.5e-7}).
     */
    public static String format(double value) {
        if (!Double.isFinite(value)) return Double.toString(value);
        if (value == 0) return "0";
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        BigDecimal d = new BigDecimal(value)
                .round(new MathContext(12, RoundingMode.HALF_UP))
                .stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -6 && exponent < 15) return d.toPlainString();
        String digits = d.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d.signum() < 0 ? "-" : "") + mantissa + "e" + exponent;
    }

    // sum := product (('+' | '-') product)*
    private double sum() {
        double value = product();
        while (true) {
            if (eat('+')) value = finite(value + product());
            else if (eat('-')) value = finite(value - product());
            else return value;
        }
    }

    // product := signed (('*' | '/' | '%') signed)*
    private double product() {
        double value = signed();
        while (true) {
            if (eat('*')) value = finite(value * signed());
            else if (eat('/')) value = finite(value / nonZero(signed()));
            else if (eat('%')) value = finite(value % nonZero(signed()));
            else return value;
        }
    }

    // signed := ('+' | '-')* power, as a loop so that a run of signs costs no stack
    private double signed() {
        boolean negative = false;
        while (true) {
            if (eat('-')) negative = !negative;
            else if (!eat('+')) break;
        }
        double value = power();
        return negative ? -value : value;
    }

    // power := primary (('^' | '**') signed)?
    private double power() {
        double base = primary();
        boolean raised = eat('^');
        if (!raised && text.startsWith("**", pos)) {
            pos += 2;
            raised = true;
        }
        if (!raised) return base;
        enter();
        double exponent = signed();
        depth--;
        return finite(Math.pow(base, exponent));
    }

    // primary := number | constant | function '(' (sum (',' sum)*)? ')' | '(' sum ')'
    private double primary() {
        skipSpace();
        if (pos >= text.length()) throw error("unexpected end of expression", pos);
        char c = text.charAt(pos);
        if (isDigit(c) || c == '.') return number();
        if (isLetter(c)) return name();
        if (!eat('(')) throw unexpected();
        enter();
        double value = sum();
        expect(')');
        depth--;
        return value;
    }

    private double number() {
        int start = pos;
        int digits = skipDigits();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            digits += skipDigits();
        }
        if (digits == 0) throw error("invalid number '" + text.substring(start, pos) + "'", start);
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
            if (skipDigits() == 0) pos = mark; // not an exponent: the 'e' is left over and reported
        }
        String literal = text.substring(start, pos);
        double value = Double.parseDouble(literal);
        if (!Double.isFinite(value)) throw error("number '" + literal + "' is too large", start);
        return value;
    }

    private double name() {
        int start = pos;
        while (pos < text.length() && (isLetter(text.charAt(pos)) || isDigit(text.charAt(pos)))) pos++;
        String name = text.substring(start, pos);
        String key = name.toLowerCase(Locale.ROOT);
        if (!eat('(')) {
            Double constant = CONSTANTS.get(key);
            if (constant != null) return constant;
            if (FUNCTIONS.containsKey(key)) throw error("expected '(' after '" + name + "'", pos);
            throw error("unknown name '" + name + "'", start);
        }
        Fn fn = FUNCTIONS.get(key);
        if (fn == null) throw error("unknown function '" + name + "'", start);
        enter();
        List<Double> args = new ArrayList<>();
        if (!eat(')')) {
            do args.add(sum());
            while (eat(','));
            expect(')');
        }
        depth--;
        int n = args.size();
        if (fn.arity() < 0 && n == 0) throw new CalculatorException(key + " expects at least 1 argument, got 0");
        if (fn.arity() >= 0 && n != fn.arity()) {
            String noun = fn.arity() == 1 ? " argument" : " arguments";
            throw new CalculatorException(key + " expects " + fn.arity() + noun + ", got " + n);
        }
        return finite(fn.body()
                .applyAsDouble(args.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw new CalculatorException("nesting deeper than " + MAX_DEPTH + " levels");
    }

    private void expect(char c) {
        if (!eat(c)) throw error("expected '" + c + "'", pos);
    }

    private boolean eat(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) return false;
        pos++;
        return true;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private int skipDigits() {
        int start = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) pos++;
        return pos - start;
    }

    /** "unexpected 'x' at position n" for the token at {@link #pos}: a whole word or number, else one character. */
    private CalculatorException unexpected() {
        int end = pos + Character.charCount(text.codePointAt(pos));
        while (isWordChar(pos) && isWordChar(end)) end++;
        return error("unexpected '" + text.substring(pos, end) + "'", pos);
    }

    private static CalculatorException error(String problem, int index) {
        return new CalculatorException(problem + " at position " + (index + 1));
    }

    private static Map.Entry<String, Fn> one(String name, DoubleUnaryOperator f) {
        return Map.entry(name, new Fn(1, a -> f.applyAsDouble(a[0])));
    }

    private static double roundHalfAway(double x) {
        return Math.abs(x) >= 0x1p52 ? x : Math.signum(x) * Math.round(Math.abs(x)); // from 2^52 up, x is whole
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private boolean isWordChar(int index) {
        return index < text.length()
                && (isLetter(text.charAt(index)) || isDigit(text.charAt(index)) || text.charAt(index) == '.');
    }

    private static double nonZero(double divisor) {
        if (divisor == 0) throw new CalculatorException("division by zero");
        return divisor;
    }

    private static double finite(double value) {
        if (!Double.isFinite(value)) throw new CalculatorException("result is not a finite number");
        return value;
    }
}
