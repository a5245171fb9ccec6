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
import io.stratusmail.imap.protocol.ImapFrameDecoder;
import io.stratusmail.imap.protocol.ImapResponseEncoder;
import io.stratusmail.imap.session.ImapServices;
import io.stratusmail.imap.session.SessionHandler;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Accounts;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP4rev1 server (RFC 3501) on Netty NIO: one boss thread accepts, {@link ImapConfig#workerThreads()}
 * event loops serve the connections. Per connection the pipeline is: response encoder (typed responses to
 * octets), idle timer, framer (lines and literals), command decoder (frames to typed commands), session
 * (state machine, one command at a time).
 *
 * <p>Capabilities: {@code IMAP4rev1 LITERAL+ CHILDREN}, and before login {@code SASL-IR AUTH=PLAIN}. No TLS
 * yet: run it behind a TLS-terminating proxy or on a trusted network only.
 */
public final class ImapServer {

    private static final Logger LOG = LoggerFactory.getLogger(ImapServer.class);

    private final ImapConfig config;
    private final ImapServices services;
    private final ImapResponseEncoder encoder = new ImapResponseEncoder();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /**
     * @param config    limits, timeouts, hostname
     * @param accounts  authentication (LOGIN, AUTHENTICATE)
     * @param mailboxes the users' mailboxes (LIST, SELECT)
     * @param messages  the messages (FETCH, STORE, EXPUNGE)
     */
    public ImapServer(ImapConfig config, Accounts accounts, MailboxRepository mailboxes, MessageStore messages) {
        this.config = config;
        this.services = new ImapServices(accounts, mailboxes, messages);
    }

    /**
     * Binds and starts serving.
     *
     * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port TCP port; 0 picks a free one
     * @return the bound address (with the actual port)
     * @throws IllegalStateException when already started
     * @throws InterruptedException  when interrupted while binding
     */
    public synchronized InetSocketAddress start(String host, int port) throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(config.workerThreads());
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
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("encoder", encoder);
                        // All-idle: a client busy downloading a long FETCH is not idle.
                        p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(),
                                TimeUnit.MILLISECONDS));
                        p.addLast("framer", new ImapFrameDecoder(config.maxLineLength(), config.maxLiteralSizeBeforeLogin(),
                                config.maxCommandSize()));
                        p.addLast("parser", new CommandDecoder());
                        p.addLast("session", new SessionHandler(services, config));
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdownGroups();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("event=imap.server.started address={} port={}", bound.getHostString(), bound.getPort());
        return bound;
    }

    /** Stops accepting, closes every connection and releases the threads. Safe to call more than once. */
    public synchronized void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        serverChannel = null;
        shutdownGroups();
        LOG.info("event=imap.server.stopped");
    }

    private void shutdownGroups() {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss = null;
            workers = null;
        }
    }
}
