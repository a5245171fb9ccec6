package io.stratusmail.imap.literal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A message literal small enough to be read into an array (at most {@link LiteralSpool#threshold()} octets).
 *
 * @param bytes the literal's octets; not copied, not to be changed
 */
public record InMemoryLiteral(byte[] bytes) implements MessageLiteral {

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public boolean containsNul() {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletionStage<ByteBuffer> octets() {
        return CompletableFuture.completedFuture(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    /** Nothing to free: the array goes with the command. */
    @Override
    public void release() {
    }

    @Override
    public String toString() {
        return "InMemoryLiteral[size=" + bytes.length + "]";
    }
}
