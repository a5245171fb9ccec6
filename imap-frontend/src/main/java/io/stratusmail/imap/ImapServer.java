package io.stratusmail.imap;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.stratusmail.imap.command.CommandDecoder;
import io.stratusmail.imap.limits.ConnectionLimiter;
import io.stratusmail.imap.limits.LoginThrottle;
import io.stratusmail.imap.limits.TooManyConnectionsHandler;
import io.stratusmail.imap.literal.LiteralSpool;
import io.stratusmail.imap.protocol.ImapFrameDecoder;
import io.stratusmail.imap.protocol.ImapResponseEncoder;
import io.stratusmail.imap.session.ImapServices;
import io.stratusmail.imap.session.SessionHandler;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.event.MailboxEvents;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.Username;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP4rev1 server (RFC 3501) on Netty NIO: one boss thread accepts, {@link ImapConfig#workerThreads()}
 * event loops serve the connections, as many threads parse messages for SEARCH. Two listeners share them: the
 * plain one ({@link #start}, with STARTTLS when TLS is configured) and the implicit TLS one
 * ({@link #startImplicitTls}, TLS from the first octet, RFC 8314 section 3.3).
 *
 * <p>Per connection the pipeline is: TLS (from the start on the implicit TLS listener, after STARTTLS on the
 * plain one), response encoder (typed responses to octets), idle timer, framer (lines and literals), command
 * decoder (frames to typed commands), session (state machine, one command at a time). A client address
 * with {@link ImapConfig#maxConnectionsPerAddress()} open connections gets {@code * BYE} instead; a user with
 * {@link ImapConfig#maxConnectionsPerUser()} authenticated connections on this node gets {@code NO [LIMIT]} at
 * login.
 *
 * <p>Capabilities: {@code IMAP4rev1 LITERAL+ CHILDREN ID IDLE NAMESPACE UIDPLUS UNSELECT ENABLE APPENDLIMIT=n},
 * and before login {@code STARTTLS} (TLS configured, not yet active) and {@code SASL-IR AUTH=PLAIN AUTH=LOGIN}
 * (TLS active or plaintext authentication allowed) or {@code LOGINDISABLED}.
 */
public final class ImapServer {

    private static final Logger LOG = LoggerFactory.getLogger(ImapServer.class);

    private final ImapConfig config;
    private final ImapServices services;
    private final ImapResponseEncoder encoder = new ImapResponseEncoder();
    private final TooManyConnectionsHandler refusal = new TooManyConnectionsHandler();
    private final ConnectionLimiter<InetAddress> connections;
    private final ConnectionLimiter<Username> userConnections;
    private final LoginThrottle logins;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ExecutorService parsing;
    private LiteralSpool spool;
    private boolean ownSpool;
    private Channel plainChannel;
    private Channel tlsChannel;

    /**
     * @param config    limits, timeouts, hostname, TLS
     * @param accounts  authentication (LOGIN, AUTHENTICATE)
     * @param mailboxes the users' mailboxes (LIST, SELECT, APPEND)
     * @param messages  the messages (FETCH, STORE, EXPUNGE, APPEND, SEARCH)
     */
    public ImapServer(ImapConfig config, Accounts accounts, MailboxRepository mailboxes, MessageStore messages) {
        this(config, accounts, mailboxes, messages, Quotas.withoutLimits(mailboxes, messages));
    }

    /**
     * A server with quotas (RFC 9208): {@code messages} should enforce them (a
     * {@link io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore}); {@code quotas} answers GETQUOTA and
     * GETQUOTAROOT.
     *
     * @param quotas limits and usage of each user
     */
    public ImapServer(ImapConfig config, Accounts accounts, MailboxRepository mailboxes, MessageStore messages,
                      Quotas quotas) {
        this(config, accounts, mailboxes, messages, quotas, new MailboxEvents());
    }

    /**
     * A server whose sessions subscribe to change hints of their selected mailbox: in IDLE a hint triggers the
     * refresh at once instead of at the next poll. {@code messages} should publish on {@code events} (a
     * {@link io.stratusmail.mailbox.event.NotifyingMessageStore}), as should the stores of LMTP and other nodes.
     *
     * @param events the node's hint bus
     */
    public ImapServer(ImapConfig config, Accounts accounts, MailboxRepository mailboxes, MessageStore messages,
                      Quotas quotas, MailboxEvents events) {
        this.config = config;
        this.services = new ImapServices(accounts, mailboxes, messages, quotas, events);
        this.connections = new ConnectionLimiter<>(config.maxConnectionsPerAddress());
        this.userConnections = new ConnectionLimiter<>(config.maxConnectionsPerUser());
        this.logins = new LoginThrottle(config.loginFailuresBeforeDelay(), config.loginFailureDelay());
    }

    /**
     * Binds the plain listener (port 143 in production) and starts serving. STARTTLS is offered when
     * {@link ImapConfig#sslContext()} is set.
     *
     * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port TCP port; 0 picks a free one
     * @return the bound address (with the actual port)
     * @throws IllegalStateException when the plain listener is already started
     * @throws InterruptedException  when interrupted while binding
     */
    public synchronized InetSocketAddress start(String host, int port) throws InterruptedException {
        if (plainChannel != null) {
            throw new IllegalStateException("already started");
        }
        plainChannel = bind(host, port, false);
        InetSocketAddress bound = (InetSocketAddress) plainChannel.localAddress();
        LOG.info("event=imap.server.started address={} port={} tls=starttls-{}", bound.getHostString(),
                bound.getPort(), config.tlsEnabled() ? "offered" : "off");
        return bound;
    }

    /**
     * Binds the implicit TLS listener (port 993 in production): every connection does the TLS handshake
     * before the greeting. Can run alongside {@link #start}; they share threads and limits.
     *
     * @param host address to bind
     * @param port TCP port; 0 picks a free one
     * @return the bound address (with the actual port)
     * @throws IllegalStateException when TLS is not configured or this listener is already started
     * @throws InterruptedException  when interrupted while binding
     */
    public synchronized InetSocketAddress startImplicitTls(String host, int port) throws InterruptedException {
        if (!config.tlsEnabled()) {
            throw new IllegalStateException("implicit TLS needs ImapConfig.sslContext");
        }
        if (tlsChannel != null) {
            throw new IllegalStateException("implicit TLS listener already started");
        }
        tlsChannel = bind(host, port, true);
        InetSocketAddress bound = (InetSocketAddress) tlsChannel.localAddress();
        LOG.info("event=imap.server.started address={} port={} tls=implicit", bound.getHostString(), bound.getPort());
        return bound;
    }

    private Channel bind(String host, int port, boolean implicitTls) throws InterruptedException {
        boolean created = boss == null;
        if (created) {
            boss = new NioEventLoopGroup(1);
            workers = new NioEventLoopGroup(config.workerThreads());
            parsing = Executors.newFixedThreadPool(config.workerThreads(), daemonThreads("imap-parse-"));
            if (spool == null) {
                spool = LiteralSpool.inTempDirectory();
                ownSpool = true;
            }
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initConnection(ch, implicitTls);
                    }
                });
        try {
            return bootstrap.bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            if (created) {
                shutdownGroups();
            }
            throw e;
        }
    }

    private void initConnection(SocketChannel ch, boolean implicitTls) {
        ChannelPipeline p = ch.pipeline();
        if (implicitTls) {
            p.addLast("ssl", config.sslContext().newHandler(ch.alloc()));
        }
        p.addLast("encoder", encoder);
        InetSocketAddress remote = ch.remoteAddress();
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address != null) {
            if (!connections.tryAcquire(address)) {
                LOG.warn("event=imap.connection.refused remote={} reason=too-many-connections limit={}",
                        address.getHostAddress(), config.maxConnectionsPerAddress());
                p.addLast("refusal", refusal);
                return;
            }
            ch.closeFuture().addListener(f -> connections.release(address));
        }
        // All-idle: a client busy downloading a long FETCH is not idle.
        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("framer", new ImapFrameDecoder(config.maxLineLength(), config.maxLiteralSizeBeforeLogin(),
                config.maxCommandSize(), spool));
        p.addLast("parser", new CommandDecoder());
        p.addLast("session", new SessionHandler(services, config, logins, userConnections, parsing));
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Where large APPEND literals are spooled (see {@link LiteralSpool}); to be called before the first start.
     * Without it the server uses {@link LiteralSpool#inTempDirectory()}, closed when the server stops; a spool
     * given here is left open for its owner to close.
     *
     * @throws IllegalStateException when the server is already started
     */
    public synchronized ImapServer useLiteralSpool(LiteralSpool literalSpool) {
        if (boss != null) {
            throw new IllegalStateException("already started");
        }
        this.spool = java.util.Objects.requireNonNull(literalSpool, "literalSpool");
        this.ownSpool = false;
        return this;
    }

    /** The literal spool in use (null before the first start when none was given), e.g. for its gauges. */
    public synchronized LiteralSpool literalSpool() {
        return spool;
    }

    /** Stops both listeners, closes every connection and releases the threads. Safe to call more than once. */
    public synchronized void stop() {
        if (boss == null) {
            return;
        }
        for (Channel c : new Channel[] {plainChannel, tlsChannel}) {
            if (c != null) {
                c.close().syncUninterruptibly();
            }
        }
        plainChannel = null;
        tlsChannel = null;
        shutdownGroups();
        LOG.info("event=imap.server.stopped");
    }

    private void shutdownGroups() {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            parsing.shutdownNow();
            if (ownSpool) {
                spool.close();
                spool = null;
                ownSpool = false;
            }
            boss = null;
            workers = null;
            parsing = null;
        }
    }
}
