//! samlkit-lint: the fourth step of samlkit's flow (decode → parse → verify → **lint** → render).
