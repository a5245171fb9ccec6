package io.stratusmail.imap.literal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message literal written to a file of a {@link LiteralSpool} as it arrives, then read back by mapping the
 * file into memory ({@link FileChannel.MapMode#READ_ONLY}): the store scans and chunks the mapped octets, so the
 * message never sits on the heap whole.
 *
 * <p>Life: the framer {@link #write writes} the octets buffer by buffer (one write at a time, each completing
 * before the next starts), then {@link #finish finishes}; the command that takes the literal {@link #claim claims}
 * it and {@link #release releases} it when done. The framer releases a literal nobody claimed, and every literal
 * of a connection that closes. Release deletes the file: on Linux a mapping made earlier stays readable until it
 * is garbage collected, so a store write still in progress is not disturbed.
 */
public final class SpooledLiteral implements MessageLiteral {

    private static final Logger LOG = LoggerFactory.getLogger(SpooledLiteral.class);

    private final LiteralSpool spool;
    private final Path file;
    private final long size;
    private final Runnable onRelease;
    private final FileChannel out;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean claimed;
    private volatile boolean nul;
    private long written;

    private SpooledLiteral(LiteralSpool spool, Path file, long size, Runnable onRelease, FileChannel out) {
        this.spool = spool;
        this.file = file;
        this.size = size;
        this.onRelease = onRelease;
        this.out = out;
    }

    static SpooledLiteral create(LiteralSpool spool, long size, Runnable onRelease) throws IOException {
        Path file = Files.createTempFile(spool.directory(), LiteralSpool.PREFIX, LiteralSpool.SUFFIX);
        try {
            FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE);
            return new SpooledLiteral(spool, file, size, onRelease, out);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Appends the readable octets of {@code chunk} to the file on the spool's threads and releases the chunk.
     * Callers wait for the returned stage before the next write.
     *
     * @return completes once the octets are written; exceptionally with an {@link IOException} (disk full,
     *         literal released meanwhile)
     */
    public CompletionStage<Void> write(ByteBuf chunk) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            spool.io().execute(() -> {
                try {
                    if (chunk.indexOf(chunk.readerIndex(), chunk.writerIndex(), (byte) 0) >= 0) {
                        nul = true;
                    }
                    ByteBuffer octets = chunk.nioBuffer();
                    while (octets.hasRemaining()) {
                        written += out.write(octets, written);
                    }
                    done.complete(null);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                } finally {
                    chunk.release();
                }
            });
        } catch (RejectedExecutionException e) {
            chunk.release();
            done.completeExceptionally(new IOException("literal spool closed", e));
        }
        return done;
    }

    /** Closes the file for writing once every octet is written. */
    public void finish() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("event=imap.literal.close_failed file={} error={}", file.getFileName(), e.toString());
        }
    }

    /** Marks the literal as taken by a command, which now owns it and releases it. */
    public void claim() {
        claimed = true;
    }

    /** Whether a command took the literal. */
    public boolean claimed() {
        return claimed;
    }

    /** Whether the literal was released (its file deleted). */
    public boolean released() {
        return released.get();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean containsNul() {
        return nul;
    }

    /** Maps the file on the spool's threads (opening a file is not done on an event loop). */
    @Override
    public CompletionStage<ByteBuffer> octets() {
        return CompletableFuture.supplyAsync(() -> {
            if (released.get()) {
                throw new java.util.concurrent.CompletionException(new ClosedChannelException());
            }
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                return in.map(FileChannel.MapMode.READ_ONLY, 0, size).asReadOnlyBuffer();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, spool.io());
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        finish();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("event=imap.literal.delete_failed file={} error={}", file.getFileName(), e.toString());
        }
        spool.released();
        onRelease.run();
    }

    @Override
    public String toString() {
        return "SpooledLiteral[size=" + size + "]";
    }
}
