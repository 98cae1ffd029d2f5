package io.github.istiosecurity.internal.load;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Remembers where the lines of the current document start, by code point, so that a limit
 * SnakeYAML hits ahead of its scanner (the 3 MiB code point limit) can be reported on the
 * line where it is crossed.
 */
final class LineCountingReader extends FilterReader {

	private long codePoints;

	private long[] newlines = new long[256];

	private int size;

	private long forgottenNewlines;

	private boolean pendingHighSurrogate;

	LineCountingReader(Reader in) {
		super(in);
	}

	@Override
	public int read() throws IOException {
		char[] one = new char[1];
		int count = read(one, 0, 1);
		return (count < 0) ? -1 : one[0];
	}

	@Override
	public int read(char[] buffer, int offset, int length) throws IOException {
		int count = super.read(buffer, offset, length);
		for (int i = offset; i < offset + count; i++) {
			char c = buffer[i];
			if (Character.isLowSurrogate(c) && this.pendingHighSurrogate) {
				this.pendingHighSurrogate = false;
				continue;
			}
			this.pendingHighSurrogate = Character.isHighSurrogate(c);
			if (c == '\n') {
				if (this.size == this.newlines.length) {
					this.newlines = Arrays.copyOf(this.newlines, this.size * 2);
				}
				this.newlines[this.size++] = this.codePoints;
			}
			this.codePoints++;
		}
		return count;
	}

	/**
	 * Returns the 1-based line of a code point offset that has been read.
	 */
	int lineAt(long offset) {
		int before = 0;
		while (before < this.size && this.newlines[before] < offset) {
			before++;
		}
		return (int) (this.forgottenNewlines + before + 1);
	}

	/**
	 * Forgets the lines before an offset (a new document starts there), to keep memory
	 * bounded by one document.
	 */
	void forgetBefore(long offset) {
		int drop = 0;
		while (drop < this.size && this.newlines[drop] < offset) {
			drop++;
		}
		System.arraycopy(this.newlines, drop, this.newlines, 0, this.size - drop);
		this.size -= drop;
		this.forgottenNewlines += drop;
	}

}
