"""A scripted stand-in for a hosted chat model, for tests only: NOT a language model.

A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions API (plain JSON replies and SSE
streaming), so the real ``openai`` backend — langchain-openai, the openai client, httpx — runs end to
end. A hosted model cannot run here, so each reply comes from a script the test picks; the scripts
read the prompt the chain actually sent (its numbered sections and question), as a model would, and
the server can also fail on purpose (an HTTP status, a stall, a mid-stream stall).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ingest.chunks import split_sentences

SECTION_BLOCK = re.compile(r"^\[§([^\]]+)\] [^\n]*\n(.*?)(?=\n\n\[§|\Z)", re.M | re.S)
LINE_LABEL = re.compile(r"^(?:Do|Don't|[A-Z][a-z]+(?: [A-Za-z]+){0,3}): ")
WORD = re.compile(r"[a-z]{3,}")


@dataclass
class Prompt:
    """What the chain sent, split into the parts the scripts read."""

    system: str
    human: str

    @classmethod
    def of(cls, request: dict) -> "Prompt":
        messages = {m["role"]: m["content"] for m in request["messages"]}
        return cls(system=messages.get("system", ""), human=messages.get("user", ""))

    @property
    def is_condense(self) -> bool:
        return "Rewrite the member's latest question" in self.system

    @property
    def question(self) -> str:
        return self.human.rsplit("Question from a member:", 1)[-1].strip()

    @property
    def sections(self) -> dict[str, str]:
        """Tag → the section's text as shown, from between <sections> and </sections>."""
        data = self.human.split("<sections>", 1)[-1].split("</sections>", 1)[0].strip()
        return {tag: text for tag, text in SECTION_BLOCK.findall(data)}

    def sentences(self, tag: str) -> list[str]:
        lines = [LINE_LABEL.sub("", line) for line in self.sections[tag].splitlines()]
        return [s for line in lines for s in split_sentences(line) if len(s.split()) >= 5]

    def best_sentence(self, tag: str) -> str:
        """The section's sentence sharing most words with the question: what a faithful model would quote."""
        asked = set(WORD.findall(self.question.lower()))
        return max(self.sentences(tag), key=lambda s: len(asked & set(WORD.findall(s.lower()))))


def faithful(prompt: Prompt) -> str:
    """Quotes the best sentence of the first section given that has one, and cites it."""
    tag = next((tag for tag in prompt.sections if prompt.sentences(tag)), None)
    return f"The guidance says “{prompt.best_sentence(tag)}” [§{tag}]." if tag else "NOT_COVERED"


def condense_by_joining(prompt: Prompt) -> str:
    """For condense requests: the last earlier question and the latest, as one question."""
    earlier = re.findall(r"^- (.+)$", prompt.human, re.M)
    latest = prompt.human.rsplit("Latest question:", 1)[-1].strip()
    return f"{earlier[-1]} {latest}" if earlier else latest


@dataclass
class StandIn:
    """The server. Set ``script`` (Prompt → reply text), ``condense`` (the same for condense requests), or
    ``status`` / ``stall_s`` to fail on purpose."""

    script: Callable[[Prompt], str] = faithful
    condense: Callable[[Prompt], str] = condense_by_joining
    status: int = 200
    stall_s: float = 0.0
    stall_after_chunks: int | None = None  # when streaming: stall after this many chunks
    chunk_delay_s: float = 0.0  # when streaming: the pause before each chunk, as a slow model trickles its reply
    requests: list[dict] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def reply_to(self, body: dict) -> str:
        prompt = Prompt.of(body)
        return self.condense(prompt) if prompt.is_condense else self.script(prompt)

    def prompts(self) -> list[Prompt]:
        return [Prompt.of(request) for request in self.requests]

    def __enter__(self) -> "StandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                standin.requests.append(body)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self.send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                if standin.status != 200:
                    return self.send_json(standin.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                if standin.stall_s and standin.stall_after_chunks is None:
                    standin.released.wait(standin.stall_s)
                text = standin.reply_to(body)
                if body.get("stream"):
                    return self.send_stream(body["model"], text)
                self.send_json(200, {
                    "id": "chatcmpl-standin", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                })

            def send_json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def send_stream(self, model: str, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = re.findall(r"\S+\s*|\s+", text)
                for number, piece in enumerate(pieces):
                    if number == standin.stall_after_chunks:
                        standin.released.wait(standin.stall_s)
                        return
                    time.sleep(standin.chunk_delay_s)
                    self.send_event(model, {"content": piece}, None)
                self.send_event(model, {}, "stop")
                self.wfile.write(b"data: [DONE]\n\n")

            def send_event(self, model: str, delta: dict, finish: str | None) -> None:
                chunk = {"id": "chatcmpl-standin", "object": "chat.completion.chunk", "created": 0, "model": model,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()  # let stalled handlers finish so the server can close
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    # For trying the CLI or the app by hand: serves the faithful script until interrupted.
    with StandIn() as running:
        print(f"Scripted stand-in (not a model) at {running.url}; Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
