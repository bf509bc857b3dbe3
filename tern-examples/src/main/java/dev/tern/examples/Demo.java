package dev.tern.examples;

import dev.tern.sdk.Definitions;

/** The definitions {@code tern server} loads by default. */
public final class Demo {
    private Demo() {}

    public static Definitions definitions() {
        return Definitions.builder()
                .workflow(HelloWorkflow.DEFINITION)
                .workflow(FlakyWorkflow.DEFINITION)
                .workflow(SleepyWorkflow.DEFINITION)
                .workflow(BatchWorkflow.DEFINITION)
                .workflow(ApprovalWorkflow.DEFINITION)
                .workflow(GreetAllWorkflow.DEFINITION)
                .agent(ChatAgent.DEFINITION)
                .agent(EchoAgent.DEFINITION)
                .agent(dev.tern.examples.assistant.AssistantAgent.DEFINITION)
                .function(HelloWorkflow.CHOOSE_SALUTATION)
                .function(HelloWorkflow.FORMAT_GREETING)
                .function(ChatAgent.REPLY)
                .build();
    }
}
