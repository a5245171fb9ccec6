package io.stratusmail.imap.literal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a server's large message literals go while they arrive: APPEND literals above {@link #threshold()}
 * octets are written to files in {@link #directory()} instead of being collected on the heap, then handed to the
 * store as a memory-mapped buffer (see {@link SpooledLiteral}).
 *
 * <p>Why a spool file rather than streaming chunks straight into the store: the store computes the message's
 * summary (ENVELOPE, BODYSTRUCTURE, MIME offsets) before it writes the blob, a parse that needs random access to
 * the whole message; a file mapped into memory gives that without the heap, and a connection dropped mid-literal
 * leaves nothing in the store at all (not even an orphan blob for the collector).
 *
 * <p>Bounds: each connection has at most one spool file at a time (the framer stops reading a second large
 * literal until the first is released), so the disk used is at most APPENDLIMIT per connection; the heap per
 * connection is one write buffer of {@value #WRITE_BUFFER} octets. File writes run on {@value #THREADS} threads
 * of this spool, never on an event loop. File names are random ({@link Files#createTempFile}, owner-only
 * permissions on POSIX); every file is deleted when released, when its connection closes, and files older than
 * {@link #STALE_AFTER} left by a crashed process are deleted when a spool opens the directory.
 */
public final class LiteralSpool implements AutoCloseable {

    /** Literals above this many octets are spooled unless configured otherwise. */
    public static final int DEFAULT_THRESHOLD = 64 * 1024;
    /** Octets collected from the socket before one file write. */
    public static final int WRITE_BUFFER = 64 * 1024;
    /** Files this old in the directory are leftovers of a crashed process. */
    public static final Duration STALE_AFTER = Duration.ofDays(1);
    static final String PREFIX = "literal-";
    static final String SUFFIX = ".spool";
    private static final int THREADS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(LiteralSpool.class);

    private final Path directory;
    private final int threshold;
    private final ExecutorService io;
    private final AtomicInteger liveFiles = new AtomicInteger();
    private final AtomicLong peakBuffered = new AtomicLong();

    /**
     * @param directory where spool files are created; created (owner-only on POSIX) when missing
     * @param threshold literals above this many octets are spooled; 0 or more
     * @throws UncheckedIOException when the directory cannot be created
     */
    public LiteralSpool(Path directory, int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        this.directory = directory.toAbsolutePath();
        this.threshold = threshold;
        try {
            Files.createDirectories(this.directory);
            if (this.directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the literal spool directory " + this.directory, e);
        }
        deleteStale();
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "imap-spool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A spool in {@code <java.io.tmpdir>/stratus-imap-literals} with the {@link #DEFAULT_THRESHOLD}. */
    public static LiteralSpool inTempDirectory() {
        return new LiteralSpool(Path.of(System.getProperty("java.io.tmpdir"), "stratus-imap-literals"),
                DEFAULT_THRESHOLD);
    }

    /** The directory of the spool files. */
    public Path directory() {
        return directory;
    }

    /** Literals above this many octets are spooled. */
    public int threshold() {
        return threshold;
    }

    /**
     * Creates an empty spool file for a literal of {@code size} octets.
     *
     * @param onRelease run (on any thread) once the literal is released
     * @throws IOException when the file cannot be created (disk full, directory removed)
     */
    public SpooledLiteral create(long size, Runnable onRelease) throws IOException {
        SpooledLiteral literal = SpooledLiteral.create(this, size, onRelease);
        liveFiles.incrementAndGet();
        return literal;
    }

    /** Spool files created and not yet released, across the server's connections. */
    public int liveFiles() {
        return liveFiles.get();
    }

    /**
     * The most octets of one literal any connection has held on the heap at one moment (the array of a literal
     * read into memory, or a spool write buffer): the figure that stays near {@value #WRITE_BUFFER} however large
     * the messages appended are.
     */
    public long peakBufferedOctets() {
        return peakBuffered.get();
    }

    /** Called by the framer with the octets of a literal it now holds in memory. */
    public void buffered(long octets) {
        peakBuffered.accumulateAndGet(octets, Math::max);
    }

    void released() {
        liveFiles.decrementAndGet();
    }

    ExecutorService io() {
        return io;
    }

    private void deleteStale() {
        Instant before = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                    Files.deleteIfExists(f);
                    LOG.info("event=imap.literal.stale_deleted file={}", f.getFileName());
                }
            }
        } catch (IOException e) {
            LOG.warn("event=imap.literal.stale_scan_failed directory={} error={}", directory, e.toString());
        }
    }

    /** Stops the file-writing threads; literals still being written fail. */
    @Override
    public void close() {
        io.shutdownNow();
    }
}
