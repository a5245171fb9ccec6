package io.stratusmail.imap.literal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The octets of a literal that carries a message (the last argument of APPEND, RFC 3501 section 6.3.11): held
 * in memory when small ({@link InMemoryLiteral}) or spooled to a temporary file when above
 * {@link LiteralSpool#threshold()} ({@link SpooledLiteral}), so that a large message is never on the heap whole.
 *
 * <p>Whoever takes a literal from a command frame owns it and must {@link #release()} it once done with it, on
 * every path (stored, refused, failed); releasing twice is harmless.
 */
public sealed interface MessageLiteral permits InMemoryLiteral, SpooledLiteral {

    /** The literal's length in octets, as announced by {@code {n}} or {@code {n+}}. */
    long size();

    /** Whether an octet of the literal is NUL (0x00), which only literal8 (RFC 3516 BINARY) may carry. */
    boolean containsNul();

    /**
     * The octets as a read-only buffer (position 0, limit {@link #size()}): the array itself, or the file mapped
     * into memory (outside the heap). Completes exceptionally with an {@link java.io.IOException} when the file
     * cannot be read, e.g. after {@link #release()}.
     */
    CompletionStage<ByteBuffer> octets();

    /** Frees what the literal holds (deletes its file); idempotent and thread-safe. */
    void release();
}
