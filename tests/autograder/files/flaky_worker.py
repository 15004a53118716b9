"""A grading worker that fails on purpose, by the submission's file name, for test_pool.py.

kill*: SIGKILLs itself; hang*: sleeps; exit*: exits with status 3; garbage*: answers with a
result that does not validate. Any other name is graded as `autograder._worker` grades it.
"""

import json
import os
import signal
import sys
import time
from pathlib import Path

from autograder import _worker


def main(result_fd: int) -> None:
    for line in sys.stdin:
        task = json.loads(line)
        name = Path(task["path"]).name
        if name.startswith("kill"):
            os.kill(os.getpid(), signal.SIGKILL)
        if name.startswith("hang"):
            time.sleep(3600)
        if name.startswith("exit"):
            os._exit(3)
        if name.startswith("garbage"):
            os.write(result_fd, b'{"result": {"score": 10, "status": "graded"}}\n')
            continue
        _worker._send(result_fd, _worker._grade(task))


if __name__ == "__main__":
    main(int(sys.argv[1]))
