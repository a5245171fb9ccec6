package io.stratusmail.lmtp.session;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.connection.InactivityTimer;
import io.stratusmail.lmtp.delivery.DeliveryId;
import io.stratusmail.lmtp.delivery.Destination;
import io.stratusmail.lmtp.delivery.Envelope;
import io.stratusmail.lmtp.delivery.MailDelivery;
import io.stratusmail.lmtp.delivery.RecipientOutcome;
import io.stratusmail.lmtp.protocol.ChunkedMessage;
import io.stratusmail.lmtp.protocol.LmtpFrame;
import io.stratusmail.lmtp.protocol.LmtpFrame.MessageData;
import io.stratusmail.lmtp.protocol.LmtpFrameDecoder;
import io.stratusmail.lmtp.protocol.LmtpRequest;
import io.stratusmail.lmtp.protocol.LmtpResponse;
import io.stratusmail.lmtp.protocol.MailAddress;
import io.stratusmail.mailbox.address.RecipientResolver;
import io.stratusmail.mailbox.address.Resolution;
import io.stratusmail.mailbox.quota.OverQuotaException;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.user.Username;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMTP session state machine (RFC 2033, RFC 5321 section 4.1.4): greeting, LHLO, then mail
 * transactions {@code MAIL RCPT+ DATA} or {@code MAIL RCPT+ BDAT* BDAT-LAST} (CHUNKING, RFC 3030).
 * Receives typed requests and mail data from the decoders, writes typed replies, never touches bytes.
 *
 * <p>Extensions offered in the LHLO reply: PIPELINING (RFC 2920), ENHANCEDSTATUSCODES (RFC 2034),
 * 8BITMIME (RFC 6152), SIZE (RFC 1870), CHUNKING (RFC 3030; BINARYMIME is not offered, the IMAP side has
 * no BINARY to serve binary parts), SMTPUTF8 (RFC 6531) and, with a TLS context configured, STARTTLS
 * (RFC 3207).
 *
 * <p>BDAT: every chunk is read in full, also when refused (RFC 3030 section 2). A chunk gets one
 * {@code 250 2.0.0}; the LAST chunk gets one reply per accepted recipient, as after DATA. A chunk that would
 * take the message over the size limit gets {@code 552 5.3.4}: it and every later chunk of the transaction
 * are discarded unbuffered and get the same reply (one per recipient for LAST). DATA after BDAT in one
 * transaction gets {@code 503 5.5.1} and ends the transaction. BDAT without MAIL, or without an accepted
 * recipient, gets {@code 503 5.5.1}.
 *
 * <p>SMTPUTF8: a UTF-8 recipient in a transaction whose MAIL lacked {@code SMTPUTF8} gets
 * {@code 553 5.6.7}. STARTTLS: {@code 220 2.0.0}, then TLS; plaintext pipelined after the command is
 * dropped and the session starts over (a new LHLO is needed, RFC 3207 section 4.2).
 *
 * <p>One command at a time: after each reply the session asks the {@link LmtpFrameDecoder} for the next
 * frame, so pipelined commands (RFC 2920) are answered in order and store calls (recipient look-up,
 * delivery) run asynchronously without blocking the event loop. After DATA, or BDAT LAST, it sends one reply
 * per accepted recipient, in RCPT order (RFC 2033 section 4.2): {@code 250 2.0.0} once committed,
 * {@code 552 5.2.2} when the message does not fit the recipient's quota, {@code 451 4.3.0} when the store could
 * not commit; {@code 250 2.0.0 ... (already delivered)} for a recipient that received the same message within
 * {@link LmtpConfig#duplicateWindow()} (stored once). RCPT resolves subaddresses ({@code user+detail@domain},
 * RFC 5233) with {@link LmtpConfig#detailSeparator()}. A RCPT whose account is already full is refused with {@link LmtpConfig#overQuotaAtRcpt()}. Logs
 * one line per transaction (no bodies).
 *
 * <p>Every reply and its RFC 3463 enhanced status code (the parser's syntax replies are listed in
 * {@link io.stratusmail.lmtp.protocol.LmtpRequestParser}, the connection limit's in
 * {@link io.stratusmail.lmtp.connection.ConnectionLimit}):
 * <ul>
 * <li>{@code 220} greeting; {@code 220 2.0.0} STARTTLS accepted; {@code 221 2.0.0} QUIT.</li>
 * <li>{@code 250} LHLO (no enhanced code, RFC 2034 section 3); {@code 250 2.1.0} MAIL; {@code 250 2.1.5} RCPT
 *     (X.1.5 destination address valid); {@code 250 2.0.0} RSET, NOOP, a BDAT chunk, and per recipient after
 *     DATA or BDAT LAST once committed (or already delivered); {@code 252 2.0.0} VRFY (RFC 5321 section 3.5.3,
 *     never tells whether a user exists); {@code 354} DATA.</li>
 * <li>{@code 421 4.4.2} (X.4.2 bad connection) the command timeout ({@link LmtpConfig#idleTimeout()}) or the
 *     data timeout ({@link LmtpConfig#dataTimeout()}) ran out: nothing is stored, the connection closes;
 *     {@code 421 4.3.0} internal error, the connection closes.</li>
 * <li>{@code 451 4.3.0} (X.3.0 mail system status) the recipient look-up at RCPT, or the delivery to that
 *     recipient after DATA, failed or did not finish within {@link LmtpConfig#storeTimeout()}: nothing of the
 *     message is visible to that recipient, the MTA retries.</li>
 * <li>{@code 452 4.5.3} (X.5.3 too many recipients, RFC 5321 section 4.5.3.1.10) a RCPT beyond
 *     {@link LmtpConfig#maxRecipients()}; {@code 452 4.2.2} / {@code 552 5.2.2} (X.2.2 mailbox full) a RCPT for
 *     a full account ({@link LmtpConfig#overQuotaAtRcpt()}); {@code 552 5.2.2} after DATA when the message does
 *     not fit that recipient's quota.</li>
 * <li>{@code 502 5.5.1} STARTTLS without TLS configured; {@code 503 5.5.1} (X.5.1 invalid command) MAIL before
 *     LHLO, nested MAIL, RCPT/DATA/BDAT without MAIL, DATA or BDAT without an accepted recipient (RFC 2033
 *     section 4.2), DATA after BDAT, STARTTLS twice.</li>
 * <li>{@code 550 5.1.1} (X.1.1 bad destination mailbox) unknown user; {@code 550 5.1.2} (X.1.2 bad destination
 *     system) a domain not handled here; {@code 550 5.4.6} (X.4.6 routing loop) an alias loop; {@code 553 5.6.7}
 *     (RFC 6531) a UTF-8 recipient without {@code SMTPUTF8} on MAIL.</li>
 * <li>{@code 552 5.3.4} (X.3.4 message too big) {@code SIZE=} on MAIL, the DATA or the BDAT chunks over
 *     {@link LmtpConfig#maxMessageSize()} (RFC 1870): the data is read to its end and discarded.</li>
 * <li>{@code 554 5.6.0} (X.6.0 media error), per recipient after the data: a data line longer than
 *     {@link LmtpConfig#maxDataLineLength()}, a bare CR or LF under strict line endings, or 8-bit octets in
 *     the header section when MAIL carried neither {@code BODY=8BITMIME} (RFC 6152) nor {@code SMTPUTF8}
 *     (RFC 6531); nothing is stored.</li>
 * </ul>
 * A connection closed by the client before the end of the data stores nothing (the data is held in memory
 * until its end).
 *
 * <p>One instance per channel; all state is confined to the channel's event loop.
 */
public final class LmtpSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(LmtpSession.class);

    private static final LmtpResponse OK = LmtpResponse.of(250, "2.0.0", "OK");
    private static final LmtpResponse SENDER_OK = LmtpResponse.of(250, "2.1.0", "OK");
    private static final LmtpResponse RECIPIENT_OK = LmtpResponse.of(250, "2.1.5", "OK");
    private static final LmtpResponse START_DATA = LmtpResponse.plain(354, "Start mail input; end with <CRLF>.<CRLF>");
    private static final LmtpResponse NEED_LHLO = LmtpResponse.of(503, "5.5.1", "Send LHLO first");
    private static final LmtpResponse NESTED_MAIL = LmtpResponse.of(503, "5.5.1", "Nested MAIL command");
    private static final LmtpResponse NEED_MAIL = LmtpResponse.of(503, "5.5.1", "Need MAIL command first");
    private static final LmtpResponse NO_RECIPIENTS = LmtpResponse.of(503, "5.5.1", "No valid recipients");
    private static final LmtpResponse TOO_MANY_RECIPIENTS = LmtpResponse.of(452, "4.5.3", "Too many recipients");
    private static final LmtpResponse LOOKUP_FAILED =
            LmtpResponse.of(451, "4.3.0", "Temporary failure looking up the recipient, try again later");
    private static final LmtpResponse VRFY =
            LmtpResponse.of(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");
    private static final LmtpResponse NON_ASCII_RECIPIENT = LmtpResponse.of(553, "5.6.7",
            "Non-ASCII recipient address needs the SMTPUTF8 parameter on MAIL (RFC 6531)");
    private static final LmtpResponse DATA_AFTER_BDAT = LmtpResponse.of(503, "5.5.1",
            "DATA cannot follow BDAT in one transaction (RFC 3030); transaction aborted");
    private static final LmtpResponse READY_FOR_TLS = LmtpResponse.of(220, "2.0.0", "Ready to start TLS");
    private static final LmtpResponse NO_TLS = LmtpResponse.of(502, "5.5.1", "STARTTLS not available");
    private static final LmtpResponse TLS_ACTIVE = LmtpResponse.of(503, "5.5.1", "TLS already active");
    private static final LmtpResponse EIGHT_BIT_HEADER = LmtpResponse.of(554, "5.6.0", "Message header has 8-bit"
            + " octets but MAIL declared neither BODY=8BITMIME nor SMTPUTF8 (RFC 6152, RFC 6531)");

    private final LmtpConfig config;
    private final LmtpFrameDecoder frames;
    private final RecipientResolver recipients;
    private final MailDelivery delivery;
    private final Quotas quotas;
    /** The command and data timeouts; null when the pipeline has none (unit tests of the session alone). */
    private final InactivityTimer timer;

    private ChannelHandlerContext ctx;
    private String clientIp = "unknown";
    /** The LHLO argument; null before LHLO. */
    private String clientName;
    /** The current mail transaction; null outside one. */
    private Transaction transaction;
    /** A command or delivery is being processed asynchronously. */
    private boolean busy;
    /** STARTTLS was accepted: the connection runs (or is switching to) TLS. */
    private boolean tls;
    /** What to do once the BDAT chunk being read has ended. */
    private Runnable afterChunk;

    /**
     * @param config   limits and host name
     * @param frames   this channel's frame decoder, asked for each next frame
     * @param recipients resolves each RCPT address to the account that receives its mail
     * @param delivery stores the messages
     * @param quotas   checks each accepted recipient's account at RCPT (RFC 9208 limits)
     */
    public LmtpSession(LmtpConfig config, LmtpFrameDecoder frames, RecipientResolver recipients,
                       MailDelivery delivery, Quotas quotas) {
        this(config, frames, recipients, delivery, quotas, null);
    }

    /**
     * A session that switches {@code timer} between its command and data timeouts.
     *
     * @param timer this channel's timer, or null for none
     */
    public LmtpSession(LmtpConfig config, LmtpFrameDecoder frames, RecipientResolver recipients,
                       MailDelivery delivery, Quotas quotas, InactivityTimer timer) {
        this.timer = timer;
        this.config = config;
        this.quotas = quotas;
        this.frames = frames;
        this.recipients = recipients;
        this.delivery = delivery;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.clientIp = addressLiteral(ctx.channel().remoteAddress());
        reply(LmtpResponse.plain(220, config.hostname() + " LMTP Stratus ready"));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LmtpRequest request) {
            handle(request);
        } else if (msg instanceof MessageData data) {
            messageData(data);
        } else if (msg instanceof LmtpFrame.ChunkEnd) {
            Runnable next = afterChunk;
            afterChunk = null;
            next.run();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void handle(LmtpRequest request) {
        if (request instanceof LmtpRequest.Lhlo lhlo) {
            lhlo(lhlo);
        } else if (request instanceof LmtpRequest.MailFrom mail) {
            mail(mail);
        } else if (request instanceof LmtpRequest.RcptTo rcpt) {
            rcpt(rcpt);
        } else if (request instanceof LmtpRequest.Data) {
            data();
        } else if (request instanceof LmtpRequest.Bdat bdat) {
            bdat(bdat);
        } else if (request instanceof LmtpRequest.Rset) {
            endTransaction();
            replyAndReadCommand(OK);
        } else if (request instanceof LmtpRequest.Noop) {
            replyAndReadCommand(OK);
        } else if (request instanceof LmtpRequest.Vrfy) {
            replyAndReadCommand(VRFY);
        } else if (request instanceof LmtpRequest.Quit) {
            ctx.writeAndFlush(LmtpResponse.of(221, "2.0.0", config.hostname() + " closing connection"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (request instanceof LmtpRequest.StartTls) {
            startTls();
        } else if (request instanceof LmtpRequest.Rejected rejected) {
            replyAndReadCommand(rejected.reply());
        } else if (request instanceof LmtpRequest.Unrecoverable unrecoverable) {
            LOG.info("lmtp.unrecoverable_command client={} reply={}", clientIp, unrecoverable.reply().code());
            endTransaction();
            ctx.writeAndFlush(unrecoverable.reply()).addListener(ChannelFutureListener.CLOSE);
        } else {
            throw new IllegalStateException("unhandled request " + request);
        }
    }

    private void lhlo(LmtpRequest.Lhlo lhlo) {
        clientName = lhlo.clientName();
        endTransaction();
        List<String> lines = new ArrayList<>(List.of(
                config.hostname(),
                "PIPELINING",
                "ENHANCEDSTATUSCODES",
                "8BITMIME",
                "SIZE " + config.maxMessageSize(),
                "CHUNKING",
                "SMTPUTF8"));
        if (config.tls() != null && !tls) {
            lines.add("STARTTLS");
        }
        replyAndReadCommand(new LmtpResponse(250, null, lines));
    }

    private void mail(LmtpRequest.MailFrom mail) {
        if (clientName == null) {
            replyAndReadCommand(NEED_LHLO);
        } else if (transaction != null) {
            replyAndReadCommand(NESTED_MAIL);
        } else if (mail.size().isPresent() && mail.size().getAsLong() > config.maxMessageSize()) {
            replyAndReadCommand(tooBig());
        } else {
            transaction = new Transaction(DeliveryId.next(Instant.now()), mail.reversePath(), mail.smtputf8());
            transaction.declaredSize = mail.size().orElse(0);
            transaction.eightBitMime = mail.body() == LmtpRequest.BodyType.EIGHT_BIT_MIME;
            replyAndReadCommand(SENDER_OK);
        }
    }

    private void rcpt(LmtpRequest.RcptTo rcpt) {
        if (transaction == null) {
            replyAndReadCommand(NEED_MAIL);
            return;
        }
        if (!transaction.smtputf8 && !rcpt.forwardPath().isAscii()) {
            replyAndReadCommand(NON_ASCII_RECIPIENT);
            return;
        }
        if (transaction.recipientCount() >= config.maxRecipients()) {
            replyAndReadCommand(TOO_MANY_RECIPIENTS);
            return;
        }
        MailAddress address = rcpt.forwardPath();
        Username user;
        try {
            user = Username.of(address.toString());
        } catch (IllegalArgumentException e) {
            // a valid RFC 5321 address that no account can have
            replyAndReadCommand(unknownUser(address));
            return;
        }
        Transaction current = transaction;
        busy = true;
        // Octets the message will add at least: the SIZE announced with MAIL (RFC 1870), else one.
        long octets = Math.max(1, current.declaredSize);
        CompletableFuture<Resolution> lookup = call(() -> recipients.resolve(user, config.detailSeparator()))
                .thenCompose(resolution -> resolution instanceof Resolution.Account account
                        ? quotas.check(account.user(), 1, octets).thenApply(v -> resolution)
                        : CompletableFuture.completedFuture(resolution))
                .toCompletableFuture()
                .thenApply(resolution -> resolution)
                .orTimeout(config.storeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        onEventLoop(lookup, (resolution, error) -> {
            busy = false;
            Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof OverQuotaException over) {
                LOG.info("lmtp.rcpt_over_quota id={} recipient={} resource={} limit={} usage={}", current.id, user,
                        over.resource(), over.limit(), over.usage());
                replyAndReadCommand(config.overQuotaAtRcpt() == LmtpConfig.OverQuotaReply.PERMANENT
                        ? LmtpResponse.of(552, "5.2.2", "<" + address + ">: mailbox full (quota exceeded)")
                        : LmtpResponse.of(452, "4.2.2", "<" + address + ">: mailbox full (quota exceeded),"
                                + " try again later"));
            } else if (error != null) {
                LOG.warn("lmtp.rcpt_lookup_failed id={} recipient={} error={}", current.id, user,
                        (error.getCause() != null ? error.getCause() : error).toString());
                replyAndReadCommand(LOOKUP_FAILED);
            } else if (resolution instanceof Resolution.Account account) {
                current.addRecipient(user, new Destination(account.user(), account.detail()));
                replyAndReadCommand(RECIPIENT_OK);
            } else {
                replyAndReadCommand(refusal(address, resolution));
            }
        });
    }

    private void data() {
        if (transaction == null) {
            replyAndReadCommand(NEED_MAIL);
        } else if (transaction.chunked()) {
            LOG.info("lmtp.transaction id={} client={} result=data_after_bdat", transaction.id, clientIp);
            endTransaction();
            replyAndReadCommand(DATA_AFTER_BDAT);
        } else if (transaction.recipientCount() == 0) {
            // RFC 2033 section 4.2: DATA without a successful RCPT MUST fail with 503
            endTransaction();
            replyAndReadCommand(NO_RECIPIENTS);
        } else {
            reply(START_DATA);
            timerPhase(InactivityTimer.Phase.DATA);
            frames.readMessageData();
        }
    }

    private void messageData(MessageData data) {
        Transaction done = transaction;
        transaction = null;
        List<Username> recipients = done.recipients();
        switch (data.status()) {
            case TOO_LARGE -> {
                logTransaction(done, data.octets(), 0, "too_large");
                replyEach(recipients.size(), tooBig());
            }
            case LINE_TOO_LONG -> {
                logTransaction(done, data.octets(), 0, "line_too_long");
                replyEach(recipients.size(), LmtpResponse.of(554, "5.6.0",
                        "Message has a line longer than " + config.maxDataLineLength() + " octets"));
            }
            case BARE_LINE_ENDING -> {
                logTransaction(done, data.octets(), 0, "bare_line_ending");
                replyEach(recipients.size(), LmtpResponse.of(554, "5.6.0",
                        "Message has a bare CR or LF; lines end with CRLF (RFC 5321 section 2.3.8)"));
            }
            case COMPLETE -> {
                if (data.eightBitHeader() && !done.allowsEightBitHeader()) {
                    logTransaction(done, data.octets(), 0, "eight_bit_header");
                    replyEach(recipients.size(), EIGHT_BIT_HEADER);
                } else {
                    deliver(done, data.content(), data.octets());
                }
            }
        }
    }

    /** Stores a received message for every recipient of {@code done}, then replies per recipient. */
    private void deliver(Transaction done, byte[] content, long octets) {
        Envelope envelope = new Envelope(done.id, done.sender.map(MailAddress::toString), done.recipients(),
                clientName, clientIp, Instant.now(), done.smtputf8, tls);
        busy = true;
        onEventLoop(call(() -> delivery.deliverTo(envelope, done.destinations(), content)), (outcomes, error) -> {
            busy = false;
            deliveryReplies(envelope, octets, outcomes, error);
        });
    }

    /**
     * BDAT (RFC 3030 section 2): decides where the chunk goes (the transaction's message, or nowhere), has
     * the frame decoder read it, and replies once it has been read.
     */
    private void bdat(LmtpRequest.Bdat bdat) {
        long size = bdat.chunkSize();
        Transaction current = transaction;
        if (clientName == null) {
            discardChunk(size, NEED_LHLO);
            return;
        }
        if (current == null) {
            discardChunk(size, NEED_MAIL);
            return;
        }
        if (current.recipientCount() == 0) {
            endTransaction();
            discardChunk(size, NO_RECIPIENTS);
            return;
        }
        current.chunkOctets = size > Long.MAX_VALUE - current.chunkOctets ? Long.MAX_VALUE
                : current.chunkOctets + size;
        if (current.chunks == null) {
            current.chunks = new ChunkedMessage(ctx.alloc(), config.maxMessageSize());
        }
        if (current.chunkFailure == null && !current.chunks.fits(size)) {
            LOG.info("lmtp.chunk_refused id={} client={} octets={} limit={}", current.id, clientIp,
                    current.chunkOctets, config.maxMessageSize());
            current.chunkFailure = tooBig();
            // the message is refused: free what it held now rather than at its end
            current.chunks.release();
        }
        if (current.chunkFailure != null) {
            afterChunk = () -> chunkRefused(current, bdat.last());
            readChunk(size, null);
        } else if (bdat.last()) {
            afterChunk = () -> {
                transaction = null;
                if (current.chunks.eightBitHeader() && !current.allowsEightBitHeader()) {
                    logTransaction(current, current.chunkOctets, 0, "eight_bit_header");
                    current.release();
                    replyEach(current.recipientCount(), EIGHT_BIT_HEADER);
                } else {
                    deliver(current, current.chunks.finish(), current.chunkOctets);
                }
            };
            readChunk(size, current.chunks);
        } else {
            afterChunk = () -> replyAndReadCommand(LmtpResponse.of(250, "2.0.0", size + " octets received"));
            readChunk(size, current.chunks);
        }
    }

    /** Reads and drops a chunk the session refuses, then answers {@code refusal} once. */
    private void discardChunk(long size, LmtpResponse refusal) {
        afterChunk = () -> replyAndReadCommand(refusal);
        readChunk(size, null);
    }

    /** A chunk of a failed BDAT transaction has been dropped: one reply, or one per recipient for LAST. */
    private void chunkRefused(Transaction failed, boolean last) {
        if (last) {
            logTransaction(failed, failed.chunkOctets, 0, "too_large");
            endTransaction();
            replyEach(failed.recipientCount(), failed.chunkFailure);
        } else {
            replyAndReadCommand(failed.chunkFailure);
        }
    }

    /**
     * STARTTLS (RFC 3207): {@code 220}, then the TLS handshake; the 220 leaves in plaintext (the handler
     * starts in STARTTLS mode), anything the client pipelined after the command is dropped, and the session
     * is back at its start.
     */
    private void startTls() {
        if (config.tls() == null) {
            replyAndReadCommand(NO_TLS);
            return;
        }
        if (tls) {
            replyAndReadCommand(TLS_ACTIVE);
            return;
        }
        tls = true;
        endTransaction();
        clientName = null;
        frames.discardBufferedInput();
        ctx.pipeline().addFirst("tls", new SslHandler(config.tls().newEngine(ctx.alloc()), true));
        replyAndReadCommand(READY_FOR_TLS);
    }

    private void endTransaction() {
        if (transaction != null) {
            transaction.release();
            transaction = null;
        }
    }

    private void deliveryReplies(Envelope envelope, long octets, List<RecipientOutcome> outcomes, Throwable error) {
        List<LmtpResponse> replies = new ArrayList<>();
        int delivered = 0;
        for (int i = 0; i < envelope.recipients().size(); i++) {
            RecipientOutcome outcome = error == null ? outcomes.get(i) : null;
            if (outcome instanceof RecipientOutcome.Delivered) {
                delivered++;
                replies.add(LmtpResponse.of(250, "2.0.0", envelope.id() + " Saved"));
            } else if (outcome instanceof RecipientOutcome.Duplicate) {
                // a retry after a lost reply: acknowledge again, the recipient has the message once
                delivered++;
                replies.add(LmtpResponse.of(250, "2.0.0", envelope.id() + " Saved (already delivered)"));
            } else if (outcome instanceof RecipientOutcome.Failed failed
                    && failed.cause() instanceof OverQuotaException) {
                // RFC 3463 X.2.2: the message does not fit this recipient's quota; the others still get it
                replies.add(LmtpResponse.of(552, "5.2.2", "<" + envelope.recipients().get(i)
                        + "> Mailbox full: the message exceeds the recipient's quota"));
            } else {
                replies.add(LmtpResponse.of(451, "4.3.0", "<" + envelope.recipients().get(i)
                        + "> Temporary failure storing the message, try again later"));
            }
        }
        if (error != null) {
            LOG.error("lmtp.delivery_error id={}", envelope.id(), error);
        }
        int total = replies.size();
        logTransaction(envelope.id(), envelope.sender().orElse(""), total, octets, delivered,
                delivered == total ? "delivered" : delivered == 0 ? "failed" : "partial");
        for (LmtpResponse r : replies) {
            ctx.write(r);
        }
        ctx.flush();
        readCommand();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                LOG.info("lmtp.tls client={} protocol={} cipher={}", clientIp, session.getProtocol(),
                        session.getCipherSuite());
            } else {
                LOG.info("lmtp.tls_failed client={} error={}", clientIp, handshake.cause().toString());
                ctx.close();
            }
            return;
        }
        if (evt instanceof InactivityTimer.Expired expired) {
            if (!busy) {
                timeout(expired);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (transaction != null) {
            LOG.info("lmtp.transaction id={} client={} recipients={} result=aborted_by_disconnect",
                    transaction.id, clientIp, transaction.recipientCount());
            endTransaction();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // a failed handshake (logged with its completion event) or a broken TLS record: nothing can be
            // answered in clear
            LOG.debug("lmtp.tls_error client={} error={}", clientIp, cause.getCause().toString());
        } else if (cause instanceof IOException) {
            LOG.debug("lmtp.connection_error client={} error={}", clientIp, cause.toString());
        } else {
            LOG.error("lmtp.session_error client={}", clientIp, cause);
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(LmtpResponse.of(421, "4.3.0", config.hostname() + " Internal error, closing"));
            }
        }
        ctx.close();
    }

    /**
     * The client stayed silent past the command timeout ({@code 421 4.4.2 ... Idle timeout}) or, while sending
     * message data, past the data timeout ({@code 421 4.4.2 ... Timeout waiting for message data}): the
     * transaction is dropped, nothing is stored, the connection is closed (RFC 5321 section 4.5.3.2).
     */
    private void timeout(InactivityTimer.Expired expired) {
        boolean data = expired.phase() == InactivityTimer.Phase.DATA;
        LOG.info("lmtp.timeout client={} phase={} timeout={}", clientIp, data ? "data" : "command",
                expired.timeout());
        if (transaction != null) {
            logTransaction(transaction, 0, 0, data ? "data_timeout" : "command_timeout");
        }
        endTransaction();
        ctx.writeAndFlush(LmtpResponse.of(421, "4.4.2", config.hostname() + (data
                        ? " Timeout waiting for message data, transaction aborted" : " Idle timeout, closing connection")))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void replyEach(int count, LmtpResponse response) {
        for (int i = 0; i < count; i++) {
            ctx.write(response);
        }
        ctx.flush();
        readCommand();
    }

    private void replyAndReadCommand(LmtpResponse response) {
        reply(response);
        readCommand();
    }

    private void readCommand() {
        timerPhase(InactivityTimer.Phase.COMMAND);
        frames.readCommand();
    }

    private void readChunk(long size, ChunkedMessage target) {
        timerPhase(InactivityTimer.Phase.DATA);
        frames.readChunk(size, target);
    }

    private void timerPhase(InactivityTimer.Phase phase) {
        if (timer != null) {
            timer.phase(phase);
        }
    }

    private void reply(LmtpResponse response) {
        ctx.writeAndFlush(response);
    }

    private LmtpResponse tooBig() {
        return LmtpResponse.of(552, "5.3.4", "Message size exceeds fixed maximum message size ("
                + config.maxMessageSize() + " octets)");
    }

    private static LmtpResponse unknownUser(MailAddress address) {
        return LmtpResponse.of(550, "5.1.1", "<" + address + ">: user unknown");
    }

    /** Why a recipient that resolved to no account is refused (RFC 3463 status codes). */
    private LmtpResponse refusal(MailAddress address, Resolution resolution) {
        if (resolution instanceof Resolution.UnknownDomain unknown) {
            return LmtpResponse.of(550, "5.1.2", "<" + address + ">: domain " + unknown.domain()
                    + " is not handled here");
        }
        if (resolution instanceof Resolution.Loop loop) {
            LOG.warn("lmtp.alias_loop recipient={} chain={}", resolution.address(), loop.describe());
            return LmtpResponse.of(550, "5.4.6", "<" + address + ">: alias loop detected");
        }
        return unknownUser(address);
    }

    private void logTransaction(Transaction t, long octets, int delivered, String result) {
        logTransaction(t.id, t.senderText(), t.recipientCount(), octets, delivered, result);
    }

    private void logTransaction(String id, String sender, int recipients, long octets, int delivered, String result) {
        LOG.info("lmtp.transaction id={} client={} sender=<{}> recipients={} size={} delivered={} result={}",
                id, clientIp, sender, recipients, octets, delivered, result);
    }

    /** Continues on this channel's event loop once {@code stage} completes. */
    private <T> void onEventLoop(CompletionStage<T> stage, java.util.function.BiConsumer<T, Throwable> then) {
        stage.whenCompleteAsync((value, error) -> {
            try {
                then.accept(value, error);
            } catch (RuntimeException e) {
                ctx.fireExceptionCaught(e);
            }
        }, ctx.executor());
    }

    private static <T> CompletionStage<T> call(java.util.function.Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The client address as in an RFC 5321 address literal, without brackets. */
    private static String addressLiteral(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            int scope = host.indexOf('%');
            if (scope >= 0) {
                host = host.substring(0, scope);
            }
            return inet.getAddress() instanceof Inet6Address ? "IPv6:" + host : host;
        }
        return "unknown";
    }
}
