"""ProcessCache: loaded once per ``ttl``, forgotten on demand, always fresh under tests."""

from kefu.lib.process_cache import ProcessCache


def test_loads_once_per_ttl_and_again_after_forget(settings, monkeypatch):
    settings.TESTING = False
    loads = []
    cache = ProcessCache(lambda: loads.append(1) or ["a", "b"], ttl=60)
    clock = iter([100.0, 110.0, 120.0, 130.0])
    monkeypatch.setattr("kefu.lib.process_cache.time.monotonic", lambda: next(clock))
    assert cache.get() == ["a", "b"] and cache.get() == ["a", "b"]
    assert len(loads) == 1
    cache.get().append("c")  # a copy: the cached list is unchanged
    cache.forget()
    assert cache.get() == ["a", "b"] and len(loads) == 2  # within the ttl, but forgotten


def test_tests_always_load_afresh(settings):
    settings.TESTING = True
    loads = []
    cache = ProcessCache(lambda: loads.append(1) or [], ttl=60)
    cache.get()
    cache.get()
    assert len(loads) == 2
