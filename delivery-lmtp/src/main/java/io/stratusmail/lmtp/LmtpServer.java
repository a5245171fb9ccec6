package io.stratusmail.lmtp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.stratusmail.lmtp.connection.ConnectionLimit;
import io.stratusmail.lmtp.connection.InactivityTimer;
import io.stratusmail.lmtp.delivery.MailDelivery;
import io.stratusmail.lmtp.protocol.LmtpFrameDecoder;
import io.stratusmail.lmtp.protocol.LmtpRequestDecoder;
import io.stratusmail.lmtp.protocol.LmtpResponseEncoder;
import io.stratusmail.lmtp.session.LmtpSession;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.address.RecipientResolver;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMTP service (RFC 2033) on Netty: accepts mail for local users over TCP and stores it in their
 * INBOX through the mailbox-core interfaces.
 *
 * <p>Per connection the pipeline is: {@link InactivityTimer} (command and data timeouts),
 * {@link LmtpResponseEncoder} (typed replies to bytes), {@link ConnectionLimit} (at most
 * {@link LmtpConfig#maxConnections()} at once, shared by all connections), {@link LmtpFrameDecoder} (bytes to
 * command lines and mail data), {@link LmtpRequestDecoder} (command
 * lines to typed requests), {@link LmtpSession} (state machine, one command at a time). After STARTTLS
 * (offered when {@link LmtpConfig#tls()} is set) an {@code SslHandler} goes first. A {@code 250} after
 * DATA or BDAT LAST is sent only once the store has committed the message for that recipient
 * (architecture invariant 3).
 *
 * <p>Usage: {@code new LmtpServer(config, recipients, mailboxes, store, indexer).start("127.0.0.1", 24)}, then
 * {@link #stop()}. Owns its Netty event loops (one acceptor thread, Netty's default number of workers); messages
 * over {@link MailDelivery#INLINE_DIGEST_LIMIT} octets are hashed for deduplication on the common fork-join pool,
 * never on an event loop.
 */
public final class LmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LmtpServer.class);

    private final LmtpConfig config;
    private final RecipientResolver recipients;
    private final MailDelivery delivery;
    private final Quotas quotas;
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /**
     * @param config    limits and host name
     * @param recipients resolves each RCPT address to the account that receives it (a user, or the user an
     *                   alias leads to); unknown addresses and non-local domains are refused
     * @param mailboxes where each recipient's INBOX is found or created
     * @param store     where messages are appended
     * @param indexer   told about each committed message; use {@link MessageIndexer#NONE} without search
     */
    public LmtpServer(LmtpConfig config, RecipientResolver recipients, MailboxRepository mailboxes,
                      MessageStore store, MessageIndexer indexer) {
        this(config, recipients, mailboxes, store, indexer, Quotas.withoutLimits(mailboxes, store));
    }

    /**
     * A server with quotas (RFC 9208): each accepted RCPT is checked against its account's limits
     * ({@link LmtpConfig#overQuotaAtRcpt()} when full), and {@code store} should enforce them at commit (a
     * {@link io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore}; a refused recipient gets {@code 552 5.2.2}).
     *
     * @param quotas limits and usage of each account
     */
    public LmtpServer(LmtpConfig config, RecipientResolver recipients, MailboxRepository mailboxes,
                      MessageStore store, MessageIndexer indexer, Quotas quotas) {
        this(config, recipients, mailboxes, store, indexer, quotas, DeliveryLog.NONE);
    }

    /**
     * A server with quotas that also stores a message sent again to a recipient within
     * {@link LmtpConfig#duplicateWindow()} only once (an MTA retrying after a lost {@code 250}): it answers
     * {@code 250} again without storing. {@code deliveryLog} must be shared by every LMTP node (Cassandra) so a
     * retry through another node or after a restart is recognised; {@link DeliveryLog#NONE} disables this.
     *
     * @param deliveryLog which messages each recipient received recently
     */
    public LmtpServer(LmtpConfig config, RecipientResolver recipients, MailboxRepository mailboxes,
                      MessageStore store, MessageIndexer indexer, Quotas quotas, DeliveryLog deliveryLog) {
        this.config = Objects.requireNonNull(config, "config");
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.recipients = Objects.requireNonNull(recipients, "recipients");
        Objects.requireNonNull(deliveryLog, "deliveryLog");
        this.delivery = new MailDelivery(config.hostname(), Objects.requireNonNull(mailboxes, "mailboxes"),
                Objects.requireNonNull(store, "store"), Objects.requireNonNull(indexer, "indexer"), deliveryLog,
                deliveryLog == DeliveryLog.NONE ? java.time.Duration.ZERO : config.duplicateWindow(),
                config.storeTimeout(), ForkJoinPool.commonPool());
    }

    /**
     * Binds and starts accepting connections; blocks the calling thread until bound.
     *
     * @param host address to listen on ({@code 0.0.0.0} for all)
     * @param port TCP port, 0 for an ephemeral one
     * @return the bound address (with the actual port)
     * @throws IllegalStateException when already started or the address cannot be bound
     */
    public synchronized InetSocketAddress start(String host, int port) {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("lmtp-accept"));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory("lmtp-io"));
        ConnectionLimit connections = new ConnectionLimit(config.maxConnections(), config.hostname());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LmtpFrameDecoder frames = new LmtpFrameDecoder(config.maxCommandLineLength(),
                                config.maxMessageSize(), config.maxDataLineLength(),
                                config.lineEndings() == LmtpConfig.LineEndings.STRICT);
                        InactivityTimer timer = new InactivityTimer(config.idleTimeout(), config.dataTimeout());
                        ch.pipeline()
                                .addLast("timer", timer)
                                .addLast("encoder", new LmtpResponseEncoder())
                                .addLast("connections", connections)
                                .addLast("frames", frames)
                                .addLast("requests", new LmtpRequestDecoder())
                                .addLast("session", new LmtpSession(config, frames, recipients, delivery, quotas,
                                        timer));
                    }
                });
        ChannelFuture bind = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            shutdownLoops();
            throw new IllegalStateException("cannot listen on " + host + ":" + port, bind.cause());
        }
        serverChannel = bind.channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("lmtp.started address={} hostname={} max_message_size={}", bound, config.hostname(),
                config.maxMessageSize());
        return bound;
    }

    /**
     * Stops accepting, closes every connection and stops the event loops; blocks until done (at most a few
     * seconds). Deliveries already handed to the store finish there but get no reply, so the client
     * retries them. Idempotent.
     */
    public synchronized void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        serverChannel = null;
        shutdownLoops();
        LOG.info("lmtp.stopped");
    }

    private void shutdownLoops() {
        acceptor.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        acceptor = null;
        workers = null;
    }

    @Override
    public void close() {
        stop();
    }
}
