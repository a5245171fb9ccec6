package io.stratusmail.server.node.hints;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.stratusmail.mailbox.event.MailboxChange;
import io.stratusmail.mailbox.event.MailboxEvents;
import io.stratusmail.storage.cassandra.node.NodeEntry;
import io.stratusmail.storage.cassandra.node.NodeRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-node change hints over UDP: every change {@link MailboxEvents#publish published} on this node goes as one
 * {@link HintCodec} datagram to every live peer, and every valid datagram received is handed to the local bus
 * with {@link MailboxEvents#receive} (never sent on again). Peers come from the Cassandra node registry
 * ({@link NodeRegistry}, table {@code nodes}): the node registers itself at start and on every heartbeat with a
 * TTL, reads the live nodes every {@link HintSettings#peerRefresh()}, and deregisters when closed.
 *
 * <p>Best-effort by design (architecture invariant 1): UDP may lose a datagram, the peer list may be a few
 * seconds old, and a registry read may fail; sessions still re-check their mailbox every
 * {@link HintSettings#idlePollInterval()}. Bounded: a datagram that is not exactly a valid hint is dropped and
 * counted ({@link #invalid()}); a hint arriving while the local bus is saturated is dropped and counted
 * ({@link #dropped()}); sends while the socket's buffer is above its high-water mark are dropped and counted.
 * One event-loop thread does the UDP work and one thread the registry work (host names are resolved there,
 * never on an event loop).
 */
public final class HintTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HintTransport.class);

    private final HintSettings settings;
    private final MailboxEvents events;
    private final NodeRegistry registry;
    private final NodeEntry self;
    private final EventLoopGroup group;
    private final Channel channel;
    private final ScheduledExecutorService registryThread;
    private final MailboxEvents.Subscription forwarding;
    private volatile List<InetSocketAddress> peers = List.of();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long invalidLogged;

    private HintTransport(HintSettings settings, MailboxEvents events, NodeRegistry registry, String services)
            throws InterruptedException {
        this.settings = settings;
        this.events = events;
        this.registry = registry;
        ThreadFactory udpThread = r -> daemon(r, "stratus-hints-udp");
        this.group = new NioEventLoopGroup(1, udpThread);
        this.registryThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "stratus-hints-registry"));
        try {
            this.channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                    .handler(new Receiver())
                    .bind(settings.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdownThreads();
            throw e;
        }
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        this.self = new NodeEntry(UUID.randomUUID(), settings.address(), port, services,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        this.forwarding = events.forwardTo(this::send);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Binds the UDP port, registers this node, reads the live peers once (so a node knows its peers when it
     * returns) and starts the heartbeat and the peer refresh.
     *
     * @param services the node's services, recorded for operators (e.g. {@code imap,lmtp})
     * @throws IllegalArgumentException when {@code settings} are disabled
     * @throws IllegalStateException    when the port cannot be bound or Cassandra does not answer in 30 s
     */
    public static HintTransport start(HintSettings settings, MailboxEvents events, NodeRegistry registry,
                                      String services) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("hints are disabled (port 0)");
        }
        HintTransport t;
        try {
            t = new HintTransport(settings, events, registry, services);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the hint port", e);
        }
        try {
            t.heartbeat().toCompletableFuture().get(30, TimeUnit.SECONDS);
            t.refreshPeers().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            t.close();
            throw new IllegalStateException("cannot register the node for hints: " + e, e);
        }
        long heartbeat = settings.heartbeat().toMillis();
        long refresh = settings.peerRefresh().toMillis();
        t.registryThread.scheduleWithFixedDelay(t::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        t.registryThread.scheduleWithFixedDelay(t::refreshPeers, refresh, refresh, TimeUnit.MILLISECONDS);
        LOG.info("event=hints.started node={} address={} port={} peers={}", t.self.id(), t.self.address(),
                t.self.hintPort(), t.peers.size());
        return t;
    }

    /** This node's registration (its id, advertised address and bound port). */
    public NodeEntry self() {
        return self;
    }

    /** The peers hints currently go to (this node excluded). */
    public List<InetSocketAddress> peers() {
        return peers;
    }

    /** Datagrams sent since start (one per peer per change). */
    public long sent() {
        return sent.get();
    }

    /** Valid hints received since start. */
    public long received() {
        return received.get();
    }

    /** Datagrams received that were not valid hints. */
    public long invalid() {
        return invalid.get();
    }

    /** Hints dropped: received while the local bus was saturated, or not sent because the socket was full. */
    public long dropped() {
        return dropped.get();
    }

    private CompletionStage<Void> heartbeat() {
        return registry.register(self, settings.ttl()).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("event=hints.heartbeat.failed node={} error={}", self.id(), e.toString());
            }
        });
    }

    private CompletionStage<Void> refreshPeers() {
        return registry.live().thenAcceptAsync(nodes -> {
            List<InetSocketAddress> next = new ArrayList<>();
            for (NodeEntry n : nodes) {
                if (!n.id().equals(self.id())) {
                    resolve(n).ifPresent(next::add);
                }
            }
            if (next.size() != peers.size()) {
                LOG.info("event=hints.peers node={} peers={}", self.id(), next.size());
            }
            peers = List.copyOf(next);
            long bad = invalid.get();
            if (bad != invalidLogged) {
                LOG.warn("event=hints.invalid_datagrams node={} total={} new={}", self.id(), bad, bad - invalidLogged);
                invalidLogged = bad;
            }
        }, registryThread).exceptionally(e -> {
            LOG.warn("event=hints.peer_refresh.failed node={} error={}", self.id(), e.toString());
            return null;
        });
    }

    private static Optional<InetSocketAddress> resolve(NodeEntry n) {
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(n.address()), n.hintPort()));
        } catch (UnknownHostException e) {
            LOG.warn("event=hints.peer_unresolved peer={} address={}", n.id(), n.address());
            return Optional.empty();
        }
    }

    /** Sends one change to every peer; runs on the publishing thread, never blocks. */
    private void send(MailboxChange change) {
        List<InetSocketAddress> targets = peers;
        if (targets.isEmpty()) {
            return;
        }
        byte[] payload = HintCodec.encode(change);
        for (InetSocketAddress peer : targets) {
            if (!channel.isWritable()) {
                dropped.incrementAndGet();
                continue;
            }
            channel.write(new DatagramPacket(Unpooled.wrappedBuffer(payload), peer));
            sent.incrementAndGet();
        }
        channel.flush();
    }

    /** Validates datagrams and hands the hints to the local bus. */
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Optional<MailboxChange> change = HintCodec.decode(packet.content().nioBuffer());
            if (change.isEmpty()) {
                invalid.incrementAndGet();
                return;
            }
            if (events.saturated()) {
                dropped.incrementAndGet();
                return;
            }
            received.incrementAndGet();
            if (!events.receive(change.get())) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("event=hints.receive.error error={}", cause.toString());
        }
    }

    /** Stops forwarding, deregisters this node (2 s at most) and releases the port and the threads. */
    @Override
    public void close() {
        forwarding.close();
        registryThread.shutdownNow();
        try {
            registry.deregister(self.id()).toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("event=hints.deregister.failed node={} error={}", self.id(), e.toString());
        }
        channel.close().syncUninterruptibly();
        shutdownThreads();
        LOG.info("event=hints.stopped node={} sent={} received={} invalid={} dropped={}", self.id(), sent.get(),
                received.get(), invalid.get(), dropped.get());
    }

    private void shutdownThreads() {
        registryThread.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
