/**
 * What the Tern engine needs from the SDK beyond the user's API: the engine's side of a step's scope. Not for
 * application code, and without any compatibility promise; nothing in {@code dev.tern.sdk} exposes these types.
 */
package dev.tern.sdk.internal;
