package dev.qmt4j.nativeplugin.internal;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** C {@code size_t}. */
public final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    /** Zero (JNA needs a public no-argument constructor). */
    public SizeT() {
        this(0);
    }

    /** The value {@code v}. */
    public SizeT(long v) {
        super(Native.SIZE_T_SIZE, v, true);
    }
}
