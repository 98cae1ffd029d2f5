package io.github.istiosecurity.jwt;
import java.util.List;
import io.github.istiosecurity.model.JwtRule;
public final class JwksKeySources implements AutoCloseable {
	public JwksKeySources(JwtSettings settings) {}
	public void warmUp(List<JwtRule> rules) {}
	@Override public void close() {}
}
