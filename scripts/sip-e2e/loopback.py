"""Loopback helpers shared by the e2e drivers (cluster_driver.py,
capacity_driver.py): free ports, waiting for a condition, a plain GET."""
import random, socket, time, urllib.error, urllib.request


def free_port(low=21000, high=39000):
    """A port free for UDP and TCP both (a node's metrics listen on TCP)."""
    while True:
        port = random.randint(low, high)
        u, t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            u.bind(("127.0.0.1", port)); t.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            u.close(); t.close()


def wait_for(condition, seconds, step=0.05):
    """True once condition() holds, polling every step for up to seconds."""
    end = time.time() + seconds
    while time.time() < end:
        if condition(): return True
        time.sleep(step)
    return condition()


def http(url, timeout=5):
    """(status, body) of a GET; (None, error) when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except Exception as e:
        return None, str(e)
