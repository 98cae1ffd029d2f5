package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hostile key-set host on 127.0.0.1: it accepts every connection and then neither
 * answers nor closes it, so a client waits until its own read timeout. Counts the
 * connections it received.
 */
public final class HangingServer implements AutoCloseable {

	private final ServerSocket server;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	public HangingServer() {
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.acceptor = new Thread(this::acceptForever, "hanging-server");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	private void acceptForever() {
		while (!this.server.isClosed()) {
			try {
				this.accepted.add(this.server.accept());
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/** A URI on this server. */
	public String uri(String path) {
		return "http://127.0.0.1:" + this.server.getLocalPort() + path;
	}

	/** How many connections were accepted. */
	public int connections() {
		return this.accepted.size();
	}

	@Override
	public void close() {
		try {
			this.server.close();
			for (Socket socket : this.accepted) {
				socket.close();
			}
			this.acceptor.join(5000);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
