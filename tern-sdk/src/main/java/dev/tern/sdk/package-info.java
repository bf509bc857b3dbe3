/**
 * The Tern SDK: what application code touches. Define {@link dev.tern.sdk.FunctionDefinition functions},
 * {@link dev.tern.sdk.WorkflowDefinition workflows} and {@link dev.tern.sdk.AgentDefinition agents}, collect them in
 * {@link dev.tern.sdk.Definitions}, and hand them to a Tern engine or server. Nothing in this package refers to how
 * runs are stored or executed.
 */
package dev.tern.sdk;
