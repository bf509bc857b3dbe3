package dev.tern.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.server.TestServer;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's headless chromium), against a real server with the demo definitions and a
 * fake model: the runs list and its live updates, a run's page and timeline, answering a question, sending an event,
 * live model tokens, cancelling, starting a run from the generated form, schedules, definitions and the token prompt.
 * After each test the browser console must hold no warning or error, and a screenshot is saved under
 * target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    FakeOpenAi model;
    TestServer server;
    Browser browser;

    @BeforeAll
    void start() {
        assumeTrue(
                Browser.available(),
                "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        model = FakeOpenAi.start();
        server = TestServer.start(
                EngineConfig.embedded(dir.resolve("main"))
                        .withFsync(false)
                        .withModel(new ModelEndpoint(model.baseUrl(), "sk-test", "gpt-test", 2.0, 4.0)),
                null,
                10L << 20);
        browser = new Browser();
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (model != null) model.close();
    }

    @BeforeEach
    void freshPage() {
        browser.driver.manage().window().setSize(Browser.DESKTOP);
        browser.consoleLog(); // forget what earlier tests logged
    }

    @AfterEach
    void noConsoleErrorsAndEveryInputLabelled(TestInfo test) {
        browser.screenshot(test.getTestMethod().orElseThrow().getName());
        browser.assertConsoleClean();
        browser.assertEveryInputLabelled();
    }

    String schedule(String name, String input) {
        TestServer.Response r = server.post("/v1/runs", "{\"name\": \"" + name + "\", \"input\": " + input + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().get("runId").asText();
    }

    String status(String runId) {
        return server.get("/v1/runs/" + runId).body().path("status").asText();
    }

    WebElement row(String runId) {
        return browser.visible("tr[data-run-id='" + runId + "']");
    }

    @Test
    void runsListShowsNewestFirstFiltersAndUpdatesInPlace() throws Exception {
        String first = schedule("hello", "{\"name\": \"Ada\"}");
        server.awaitRun(first, WAIT);
        browser.open(server.baseUrl() + "/");
        assertThat(row(first).getText()).contains("hello").contains("completed");

        // a run scheduled elsewhere appears at the top without a reload, and its status changes in place
        browser.script("window.__sameDocument = true");
        String sleepy = schedule("sleepy", "{\"seconds\": 2}");
        WebElement sleepyRow = row(sleepy);
        assertThat(browser.all("table.runs tbody tr").get(0).getAttribute("data-run-id"))
                .isEqualTo(sleepy);
        assertThat(sleepyRow.getText()).containsAnyOf("running", "queued");
        browser.await(d -> sleepyRow.getText().contains("completed"));
        assertThat(browser.script("return window.__sameDocument")).isEqualTo(true);

        // filter by name: only sleepy runs; by status: the running ones
        new Select(browser.find("select[name=name]")).selectByValue("sleepy");
        browser.await(d -> browser.all("table.runs tbody tr").size() == 1);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/?name=sleepy");
        assertThat(browser.find("table.runs tbody").getText()).doesNotContain("hello");
        new Select(browser.find("select[name=status]")).selectByValue("failed");
        browser.visible("p.muted:not([hidden])");
        assertThat(browser.all("table.runs tbody tr")).isEmpty();
        browser.find("form.filters button[type=button]").click();
        browser.await(d -> browser.all("table.runs tbody tr").size() >= 2);

        // by kind and thread, through the address
        String threaded = schedule("hello", "{\"name\": \"Bo\"}");
        server.post("/v1/runs", "{\"name\": \"echo\", \"input\": {}, \"threadId\": \"t-42\"}");
        browser.open(server.baseUrl() + "/?threadId=t-42");
        browser.await(d -> browser.all("table.runs tbody tr").size() == 1);
        assertThat(browser.find("table.runs tbody").getText()).contains("echo").doesNotContain(threaded);
        browser.open(server.baseUrl() + "/?kind=workflow");
        row(threaded);
        assertThat(browser.find("table.runs tbody").getText()).doesNotContain("echo");

        // paged: 25 a page, older and newer (a thread of its own, so other tests' runs do not count)
        List<String> paged = new java.util.ArrayList<>();
        for (int i = 0; i < 27; i++) {
            paged.add(server.post(
                            "/v1/runs",
                            "{\"name\": \"hello\", \"input\": {\"name\": \"n" + i + "\"}, \"threadId\": \"paging\"}")
                    .body()
                    .get("runId")
                    .asText());
        }
        browser.open(server.baseUrl() + "/?threadId=paging");
        browser.await(d -> browser.all("table.runs tbody tr").size() == 25);
        assertThat(browser.all("table.runs tbody tr").get(0).getAttribute("data-run-id"))
                .isEqualTo(paged.get(26));
        browser.find("nav.pager button:last-of-type").click();
        browser.await(d -> browser.find("nav.pager span").getText().equals("Page 2"));
        browser.await(d -> browser.all("table.runs tbody tr").size() == 2);
        assertThat(browser.all("table.runs tbody tr"))
                .extracting(e -> e.getAttribute("data-run-id"))
                .containsExactly(paged.get(1), paged.get(0));
        assertThat(browser.find("nav.pager button:last-of-type").isEnabled()).isFalse();
        browser.find("nav.pager button:first-of-type").click();
        browser.await(d -> browser.all("table.runs tbody tr").size() == 25
                && browser.all("table.runs tbody tr")
                        .get(0)
                        .getAttribute("data-run-id")
                        .equals(paged.get(26)));
    }

    @Test
    void runPageShowsTimelineWithRetriesAndSleepsAndLiveHistory() throws Exception {
        String flaky = schedule("flaky", "{\"failures\": 2}");
        assertThat(server.awaitRun(flaky, WAIT).path("status").asText()).isEqualTo("completed");
        browser.open(server.baseUrl() + "/runs/" + flaky);
        browser.withText("h1", "flaky");
        assertThat(browser.find("h1 .badge").getText()).isEqualTo("completed");
        assertThat(browser.find("section[aria-labelledby=input-title]").getText())
                .contains("\"failures\": 2");
        assertThat(browser.find("section[aria-labelledby=result-title]").getText())
                .contains("Output");
        assertThat(browser.find("section[aria-labelledby=attempts-title]").getText())
                .contains("Attempt");
        // the retried step: two retry ticks on its bar, from the history as it streams in; the timeline is drawn
        // again meanwhile, so the row is looked up afresh until it has them, and held only once the history is all in
        browser.await(d -> d.findElements(By.cssSelector("details.tl-row")).stream()
                .anyMatch(e -> e.getText().contains("unreliable")
                        && e.findElements(By.cssSelector(".tl-retry")).size() == 2));
        browser.withText("[role=status]", "history complete");
        WebElement step = browser.withText("details.tl-row", "unreliable");
        assertThat(step.getText()).contains("3 attempts");
        assertThat(step.findElements(By.cssSelector(".tl-attempt:not(.ok)"))).hasSize(2);
        step.findElement(By.tagName("summary")).sendKeys(Keys.ENTER); // a step opens from the keyboard
        assertThat(browser.textOf("details.tl-row[open] .tl-detail"))
                .contains("Type")
                .contains("function")
                .contains("Output");
        assertThat(browser.find(".timeline").getText()).doesNotContain("null").doesNotContain("undefined");
        browser.withText("table[aria-label='History events'] tbody", "run_completed");

        // a run still going: a sleep drawn as a wait, then the page follows it to the end without a reload
        String sleepy = schedule("sleepy", "{\"seconds\": 2}");
        browser.open(server.baseUrl() + "/runs/" + sleepy);
        // the timeline is drawn again as the run goes on: read the bar within the wait
        browser.await(d -> browser.find(".tl-bar.kind-sleep.wait").getSize().getWidth() > 0);
        browser.withText("h1 .badge", "completed");
        browser.withText("table[aria-label='History events'] tbody", "run_completed");
        browser.withText("[role=status]", "history complete");
        browser.driver.manage().window().setSize(Browser.LAPTOP);
        browser.screenshot("run-page-laptop");

        // metrics: the approval's draft step reports 42 + 17 tokens
        String approval = schedule("approval", "{}");
        browser.open(server.baseUrl() + "/runs/" + approval);
        WebElement metrics = browser.withText("section[aria-labelledby=metrics-title]", "42");
        assertThat(metrics.getText()).contains("Input tokens").contains("17").contains("$0.0003");
        server.post("/v1/runs/" + approval + "/cancel", "{}");
        browser.withText("h1 .badge", "cancelled");
    }

    @Test
    void answeringTheQuestionCompletesTheRun() throws Exception {
        String runId = schedule("approval", "{}");
        browser.open(server.baseUrl() + "/runs/" + runId);
        WebElement question = browser.visible("form.question");
        browser.assertEveryInputLabelled();
        assertThat(question.getText()).contains("Publish this announcement?");
        assertThat(browser.find("h1 .badge").getText()).isEqualTo("awaiting-human");
        WebElement approved = question.findElement(By.cssSelector("input[type=checkbox][name=approved]"));
        WebElement label = question.findElement(By.cssSelector("label[for='" + approved.getAttribute("id") + "']"));
        assertThat(label.getText()).startsWith("approved");
        label.click(); // the label toggles its checkbox
        assertThat(approved.isSelected()).isTrue();
        WebElement comment = question.findElement(By.cssSelector("input[name=comment]"));
        assertThat(question.findElement(By.cssSelector("label[for='" + comment.getAttribute("id") + "']"))
                        .getText())
                .isEqualTo("comment");
        comment.sendKeys("ship it", Keys.ENTER); // the keyboard submits
        browser.withText("form.question", "Answer sent");
        browser.withText("h1 .badge", "completed");
        JsonNode run = server.awaitRun(runId, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("output").path("comment").asText()).isEqualTo("ship it");
        browser.withText("section[aria-labelledby=result-title]", "ship it");
        assertThat(browser.all("form.question input")).isEmpty();
    }

    @Test
    void sendingAnEventReachesTheAgentAfterTheSchemaCheck() throws Exception {
        String runId = schedule("echo", "{}");
        browser.open(server.baseUrl() + "/runs/" + runId);
        WebElement form = browser.visible("form.send-event");
        browser.assertEveryInputLabelled();
        Select event = new Select(form.findElement(By.cssSelector("select[name=eventName]")));
        assertThat(event.getOptions()).extracting(WebElement::getText).containsExactlyInAnyOrder("say", "end");
        event.selectByValue("say");
        WebElement input = form.findElement(By.cssSelector("textarea[name=eventInput]"));
        assertThat(input.getAttribute("value")).contains("\"text\": \"\"");
        input.clear();
        input.sendKeys("{\"text\": 5}");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement error = browser.visible("form.send-event .field-error");
        assertThat(error.getText()).contains("$.text must be a string");
        assertThat(input.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(server.get("/v1/runs/" + runId + "/history").raw()).doesNotContain("event_received");

        input.clear();
        input.sendKeys("{\"text\": \"hello console\"}");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.withText("form.send-event [role=status]", "accepted");
        // the agent got it: its reply shows in the conversation
        browser.withText(".conversation .msg", "HELLO CONSOLE!");
        assertThat(browser.find(".conversation").getText()).contains("hello console");

        event.selectByValue("end");
        input.clear();
        input.sendKeys("{}");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.withText("h1 .badge", "completed");
        assertThat(server.awaitRun(runId, WAIT).path("output").path("lines").toString())
                .isEqualTo("[\"HELLO CONSOLE!\"]");
        assertThat(browser.all("form.send-event")).isEmpty();
    }

    @Test
    void anLlmAgentShowsToolCallsAndTokensAsTheyArrive() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        model.enqueue(
                FakeReply.toolCalls(new FakeReply.ToolCall("call_1", "calculate", "{\"expression\": \"6*7\"}"))
                        .withUsage(10, 5),
                FakeReply.text("Six times seven is forty two.")
                        .holdAfterChunks(2, release)
                        .withUsage(20, 8));
        String runId = schedule("assistant", "{}");
        browser.open(server.baseUrl() + "/runs/" + runId);
        browser.withText("[role=status]", "live");
        TestServer.Response sent = server.post(
                "/v1/runs/" + runId + "/events",
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"What is 6 times 7?\"}]}}");
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        // the reply is on its way: its first tokens show while the model still holds the rest (found afresh each
        // time: the conversation is drawn again at every token, so an element found before the second token is gone)
        browser.withText(".conversation .msg.live", "Six times");
        String live = browser.await(
                d -> d.findElement(By.cssSelector(".conversation .msg.live")).getText());
        assertThat(live).contains("Six times").doesNotContain("forty two");
        assertThat(browser.find(".conversation").getText()).contains("What is 6 times 7?");
        browser.screenshot("llm-agent-tokens");
        release.countDown();
        browser.withText(".conversation .msg.role-assistant:not(.live)", "Six times seven is forty two.");
        WebElement tool = browser.withText(".conversation details.tool-call", "calculate");
        tool.findElement(By.tagName("summary")).click();
        assertThat(tool.getText()).contains("Arguments").contains("6*7");
        browser.withText("section[aria-labelledby=metrics-title]", "Tool calls");
        assertThat(browser.all(".conversation .msg.live")).isEmpty();
        server.post("/v1/runs/" + runId + "/events", "{\"eventName\": \"end\", \"eventInput\": {}}");
        browser.withText("h1 .badge", "completed");
    }

    @Test
    void cancellingAsksForConfirmationFirst() throws Exception {
        String runId = schedule("sleepy", "{\"seconds\": 600}");
        browser.open(server.baseUrl() + "/runs/" + runId);
        browser.withText("button.danger", "Cancel run").click();
        WebElement dialog = browser.visible("dialog.confirm");
        assertThat(dialog.getText()).contains("Cancel this run?").contains(runId);
        assertThat(browser.driver.switchTo().activeElement().getText())
                .isEqualTo("Keep it running"); // the safe choice has focus
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await(d -> browser.all("dialog.confirm").isEmpty());
        assertThat(status(runId)).isEqualTo("running");

        browser.withText("button.danger", "Cancel run").click();
        browser.withText("dialog.confirm button", "Cancel the run").click();
        browser.withText("h1 .badge", "cancelled");
        assertThat(status(runId)).isEqualTo("cancelled");
        assertThat(browser.all("button.danger")).isEmpty();
    }

    @Test
    void startingARunFromTheGeneratedFormValidatesBesideTheField() throws Exception {
        browser.open(server.baseUrl() + "/");
        browser.withText("button.primary", "Start a run").click();
        WebElement dialog = browser.visible("dialog.start-dialog");
        browser.assertEveryInputLabelled();
        new Select(dialog.findElement(By.cssSelector("select[name=definition]"))).selectByValue("sleepy");
        WebElement seconds = dialog.findElement(By.cssSelector("input[name=seconds]"));
        assertThat(dialog.findElement(By.cssSelector("label[for='" + seconds.getAttribute("id") + "']"))
                        .getText())
                .contains("seconds");
        seconds.sendKeys("soon");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement error = browser.visible("dialog.start-dialog .field[data-path='$.seconds'] .field-error");
        assertThat(error.getText()).isEqualTo("must be a number");
        assertThat(seconds.getAttribute("aria-describedby")).contains(error.getAttribute("id"));
        browser.screenshot("start-form-error");

        new Select(dialog.findElement(By.cssSelector("select[name=definition]"))).selectByValue("hello");
        WebElement name = dialog.findElement(By.cssSelector("input[name=name]"));
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(browser.textOf("dialog.start-dialog .field[data-path='$.name'] .field-error"))
                .isEqualTo("is required");
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(name);
        name.sendKeys("Ada", Keys.ENTER);
        browser.await(d -> d.getCurrentUrl().contains("/runs/run_"));
        browser.withText("h1 .badge", "completed");
        browser.withText("section[aria-labelledby=result-title]", "Hello, Ada!");
        String runId = browser.driver.getCurrentUrl().replaceAll(".*/runs/", "");
        assertThat(server.get("/v1/runs/" + runId)
                        .body()
                        .path("output")
                        .path("message")
                        .asText())
                .isEqualTo("Hello, Ada!");
    }

    @Test
    void schedulesAndDefinitions() {
        browser.open(server.baseUrl() + "/schedules");
        WebElement form = browser.visible("form[aria-labelledby=create-title]");
        browser.assertEveryInputLabelled();
        form.findElement(By.cssSelector("input[name=scheduleId]")).sendKeys("console-hourly");
        new Select(form.findElement(By.cssSelector("select[name=workflow]"))).selectByValue("hello");
        WebElement every = form.findElement(By.cssSelector("input[name=intervalSeconds]"));
        every.clear();
        every.sendKeys("3600");
        form.findElement(By.cssSelector("input[name=name]")).sendKeys("Cron");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement row = browser.visible("tr[data-schedule-id=console-hourly]");
        assertThat(row.getText()).contains("hello").contains("every 3600 s").contains("active");
        assertThat(server.get("/v1/schedules/console-hourly")
                        .body()
                        .path("nextFireAt")
                        .asText())
                .isNotEmpty();

        browser.click("tr[data-schedule-id=console-hourly] button[aria-label='Pause console-hourly']");
        browser.withText("tr[data-schedule-id=console-hourly]", "paused");
        assertThat(server.get("/v1/schedules/console-hourly")
                        .body()
                        .path("paused")
                        .asBoolean())
                .isTrue();
        browser.click("tr[data-schedule-id=console-hourly] button[aria-label='Resume console-hourly']");
        browser.withText("tr[data-schedule-id=console-hourly]", "active");
        browser.screenshot("schedules");
        browser.click("tr[data-schedule-id=console-hourly] button[aria-label='Delete console-hourly']");
        browser.driver.switchTo().alert().accept();
        browser.await(d -> d.findElements(By.cssSelector("tr[data-schedule-id=console-hourly]"))
                .isEmpty());
        assertThat(server.get("/v1/schedules/console-hourly").status()).isEqualTo(404);

        browser.find("nav a[data-nav=definitions]").click();
        WebElement echo = browser.withText("section.definition", "echo");
        assertThat(echo.getText())
                .contains("agent")
                .contains("say")
                .contains("end")
                .contains("Input schema");
        echo.findElement(By.tagName("summary")).click();
        assertThat(echo.findElement(By.cssSelector("details[open] pre")).getText())
                .contains("\"$schema\"");
    }

    @Test
    void theTokenIsAskedOnceKeptInTheTabAndNeverPutInAUrl(@TempDir Path tokenDir) throws Exception {
        try (TestServer secured = TestServer.start(tokenDir, "s3cret-console-token")) {
            String runId = secured.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Tok\"}}")
                    .body()
                    .get("runId")
                    .asText();
            browser.open(secured.baseUrl() + "/");
            WebElement token = browser.visible("input#token");
            assertThat(browser.find("label[for=token]").getText()).isEqualTo("Token");
            token.sendKeys("wrong", Keys.ENTER);
            assertThat(browser.textOf("#token-error")).contains("Wrong token");
            browser.screenshot("token-wrong");
            token.clear();
            token.sendKeys("s3cret-console-token", Keys.ENTER);
            row(runId);
            assertThat(browser.script("return sessionStorage.getItem('tern.token')"))
                    .isEqualTo("s3cret-console-token");

            // kept for the tab: a reload and the run's own page (with its stream) need no prompt
            browser.open(secured.baseUrl() + "/runs/" + runId);
            browser.withText("h1 .badge", "completed");
            browser.withText("[role=status]", "history complete");
            assertThat(browser.all("input#token")).isEmpty();
            @SuppressWarnings("unchecked")
            List<String> urls = (List<String>) browser.script(
                    "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])");
            assertThat(urls).isNotEmpty().noneMatch(u -> u.contains("s3cret"));

            // a token changed on the server: the stored one is refused and the prompt says so
            browser.script("sessionStorage.setItem('tern.token', 'stale')");
            browser.open(secured.baseUrl() + "/");
            assertThat(browser.textOf("#token-error")).contains("refused");
            browser.find("input#token").sendKeys("s3cret-console-token", Keys.ENTER);
            row(runId);
        }
    }
}
