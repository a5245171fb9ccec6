package io.stratusmail.lmtp.connection;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The command and data timeouts of one connection (RFC 5321 section 4.5.3.2). Counts the time since the last
 * octet read or reply written and, once it reaches the timeout of the current {@link Phase}, fires an
 * {@link Expired} user event down the pipeline; it fires again every further timeout while the connection stays
 * silent. The session chooses the phase: {@link Phase#COMMAND} while it awaits a command, {@link Phase#DATA}
 * while it reads message data; it ignores the event while it waits for the store (its own store timeout bounds
 * that wait).
 *
 * <p>Unlike Netty's {@code IdleStateHandler} the timeout can change during the connection. First in the
 * pipeline until STARTTLS puts the TLS handler before it (then it counts decrypted octets). One instance per
 * channel; every method runs on the channel's event loop.
 */
public final class InactivityTimer extends ChannelDuplexHandler {

    /** What the connection is waiting for. */
    public enum Phase { COMMAND, DATA }

    /**
     * The connection has been silent for {@code timeout} in {@code phase}.
     *
     * @param phase   what the server was waiting for
     * @param timeout the timeout that ran out
     */
    public record Expired(Phase phase, Duration timeout) {
    }

    private final long commandNanos;
    private final long dataNanos;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.COMMAND;
    private long lastActivity;
    private ScheduledFuture<?> check;

    /**
     * @param commandTimeout the wait for the next command, positive
     * @param dataTimeout    the wait for more message data, positive
     */
    public InactivityTimer(Duration commandTimeout, Duration dataTimeout) {
        if (commandTimeout.isNegative() || commandTimeout.isZero() || dataTimeout.isNegative()
                || dataTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        this.commandNanos = commandTimeout.toNanos();
        this.dataNanos = dataTimeout.toNanos();
    }

    /** Switches to the timeout of {@code phase}, counting from now. Call on the event loop. */
    public void phase(Phase phase) {
        lastActivity = System.nanoTime();
        if (phase != this.phase || check == null) {
            this.phase = phase;
            schedule(timeoutNanos());
        }
        // same phase: the pending check sees the new activity and waits the rest of the timeout
    }

    /** The phase whose timeout runs. */
    public Phase phase() {
        return phase;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = System.nanoTime();
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void start() {
        if (check == null) {
            lastActivity = System.nanoTime();
            schedule(timeoutNanos());
        }
    }

    private long timeoutNanos() {
        return phase == Phase.DATA ? dataNanos : commandNanos;
    }

    private void schedule(long delayNanos) {
        cancel();
        check = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        check = null;
        if (!ctx.channel().isOpen()) {
            return;
        }
        long timeout = timeoutNanos();
        long silent = System.nanoTime() - lastActivity;
        if (silent >= timeout) {
            lastActivity = System.nanoTime();
            schedule(timeout);
            ctx.fireUserEventTriggered(new Expired(phase, Duration.ofNanos(timeout)));
        } else {
            schedule(timeout - silent);
        }
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
