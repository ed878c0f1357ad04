package dev.wasched.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A DataSource that counts every statement executed through it (each {@code execute*} call is one round trip, a
 * batch included). Both schedulers get their pool through one of these, so "queries per second" is counted the
 * same way for both, without pg_stat_statements. Every call on it, its connections and statements first passes a
 * {@link Freeze}, so a workload can kill the instance that uses it.
 */
public final class CountingDataSource {
    private final AtomicLong executed = new AtomicLong();
    private final Freeze freeze;
    private final DataSource proxy;

    public CountingDataSource(DataSource target, Freeze freeze) {
        this.freeze = freeze;
        this.proxy = wrap(DataSource.class, target);
    }

    public DataSource dataSource() {
        return proxy;
    }

    /** Statements executed so far. */
    public long executed() {
        return executed.get();
    }

    private <T> T wrap(Class<T> type, T target) {
        InvocationHandler handler = (p, method, args) -> invoke(target, method, args);
        return type.cast(Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[]{type}, handler));
    }

    private Object invoke(Object target, Method method, Object[] args) throws Throwable {
        freeze.pass();
        if (target instanceof Statement && method.getName().startsWith("execute")) {
            executed.incrementAndGet();
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        // Wrap what hands out further JDBC objects, so statements made from them are counted too.
        if (result instanceof CallableStatement cs && method.getReturnType() == CallableStatement.class) {
            return wrap(CallableStatement.class, cs);
        }
        if (result instanceof PreparedStatement ps && method.getReturnType() == PreparedStatement.class) {
            return wrap(PreparedStatement.class, ps);
        }
        if (result instanceof Statement s && method.getReturnType() == Statement.class) {
            return wrap(Statement.class, s);
        }
        if (result instanceof Connection c && method.getReturnType() == Connection.class) {
            return wrap(Connection.class, c);
        }
        return result;
    }
}
