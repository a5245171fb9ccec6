package io.stratusmail.lmtp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * The message of a BDAT transaction (RFC 3030 section 2), put together from its chunks: the octets of
 * every chunk in order, exactly as sent (no dot-stuffing, no end marker, nothing changed).
 *
 * <p>Bounded: holds at most {@code maxMessageSize} octets. The session asks {@link #fits} before each chunk
 * and has an over-limit chunk discarded by the {@link LmtpFrameDecoder} instead, so octets over the limit
 * are never buffered. The buffer is taken on the first octet and must be given back with {@link #finish()}
 * or {@link #release()}. Confined to the channel's event loop.
 */
public final class ChunkedMessage {

    private static final int INITIAL_CAPACITY = 16 * 1024;

    private final ByteBufAllocator alloc;
    private final int maxMessageSize;
    private ByteBuf content;
    private long size;
    private boolean released;
    private final HeaderSection header = new HeaderSection();

    /**
     * @param alloc          where the buffer comes from (heap memory)
     * @param maxMessageSize most octets kept, over all chunks
     */
    public ChunkedMessage(ByteBufAllocator alloc, int maxMessageSize) {
        this.alloc = alloc;
        this.maxMessageSize = maxMessageSize;
    }

    /** Whether a further chunk of {@code chunkSize} octets keeps the message within the limit. */
    public boolean fits(long chunkSize) {
        return chunkSize <= maxMessageSize - size;
    }

    /** Octets held so far. */
    public long size() {
        return size;
    }

    /** Moves {@code length} octets from {@code in} to the end of the message; called by the frame decoder. */
    void append(ByteBuf in, int length) {
        if (released) {
            throw new IllegalStateException("message already released");
        }
        if (!fits(length)) {
            throw new IllegalStateException("chunk over the message size limit");
        }
        if (content == null) {
            content = alloc.heapBuffer(Math.min(INITIAL_CAPACITY, maxMessageSize), maxMessageSize);
        }
        header.update(in, in.readerIndex(), length);
        content.writeBytes(in, length);
        size += length;
    }

    /** Whether the header section of the chunks so far holds an 8-bit octet ({@link HeaderSection}). */
    public boolean eightBitHeader() {
        return header.eightBit();
    }

    /** The whole message, copied once into an array of exactly its size; releases the buffer. */
    public byte[] finish() {
        byte[] bytes = content == null ? new byte[0] : ByteBufUtil.getBytes(content);
        release();
        return bytes;
    }

    /** Frees the buffer (transaction aborted, connection closed). Safe to call more than once. */
    public void release() {
        released = true;
        if (content != null) {
            content.release();
            content = null;
        }
    }
}
