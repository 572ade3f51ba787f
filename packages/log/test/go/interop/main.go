// Command interop is Evenhand's independent verifier: golang.org/x/mod/sumdb/tlog and
// sumdb/note (Debian's golang-golang-x-mod-dev) check what @evenhand/log produces, and
// produce what @evenhand/log must check. It reads one JSON request on stdin and writes one
// JSON reply on stdout. Built in GOPATH mode by interop.test.ts (reference/stack.md §10).
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type pair struct {
	Index int64    `json:"index"`
	Size  int64    `json:"size"`
	Proof [][]byte `json:"proof,omitempty"`
}

type treeRequest struct {
	Leaves      [][]byte `json:"leaves"`
	Inclusion   []pair   `json:"inclusion"`
	Consistency []pair   `json:"consistency"`
}

type treeReply struct {
	Roots            [][]byte   `json:"roots"`
	Inclusion        [][][]byte `json:"inclusion"`
	Consistency      [][][]byte `json:"consistency"`
	InclusionValid   []bool     `json:"inclusionValid"`
	ConsistencyValid []bool     `json:"consistencyValid"`
}

type noteRequest struct {
	Note  string   `json:"note"`
	Vkeys []string `json:"vkeys"`
	Skey  string   `json:"skey"`
	Text  string   `json:"text"`
}

type noteReply struct {
	OK       bool     `json:"ok"`
	Error    string   `json:"error,omitempty"`
	Text     string   `json:"text,omitempty"`
	Verified []string `json:"verified,omitempty"`
	Unknown  int      `json:"unknown"`
	Note     string   `json:"note,omitempty"`
}

// store keeps tlog's stored hashes in memory, in StoredHashIndex order.
type store []tlog.Hash

func (s *store) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(*s)) {
			return nil, fmt.Errorf("no stored hash %d", x)
		}
		out[i] = (*s)[x]
	}
	return out, nil
}

func (s *store) add(n int64, data []byte) error {
	hashes, err := tlog.StoredHashes(n, data, s)
	if err != nil {
		return err
	}
	*s = append(*s, hashes...)
	return nil
}

func hashes(p [][]byte) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(p))
	for i, b := range p {
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("proof[%d]: %d bytes", i, len(b))
		}
		copy(out[i][:], b)
	}
	return out, nil
}

func bytesOf(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		h := hs[i]
		out[i] = h[:]
	}
	return out
}

func tree(req treeRequest) (treeReply, error) {
	var s store
	var reply treeReply
	for i, leaf := range req.Leaves {
		if err := s.add(int64(i), leaf); err != nil {
			return reply, err
		}
		root, err := tlog.TreeHash(int64(i+1), &s)
		if err != nil {
			return reply, err
		}
		reply.Roots = append(reply.Roots, append([]byte(nil), root[:]...))
	}
	for _, p := range req.Inclusion {
		proof, err := tlog.ProveRecord(p.Size, p.Index, &s)
		if err != nil {
			return reply, err
		}
		reply.Inclusion = append(reply.Inclusion, bytesOf(proof))
		valid := false
		if ours, err := hashes(p.Proof); err == nil && p.Proof != nil {
			root, _ := tlog.TreeHash(p.Size, &s)
			valid = tlog.CheckRecord(ours, p.Size, root, p.Index, tlog.RecordHash(req.Leaves[p.Index])) == nil
		}
		reply.InclusionValid = append(reply.InclusionValid, valid)
	}
	for _, p := range req.Consistency {
		// Here Index is the old size and Size the new size.
		proof, err := tlog.ProveTree(p.Size, p.Index, &s)
		if err != nil {
			return reply, err
		}
		reply.Consistency = append(reply.Consistency, bytesOf(proof))
		valid := false
		if ours, err := hashes(p.Proof); err == nil && p.Proof != nil {
			newRoot, _ := tlog.TreeHash(p.Size, &s)
			oldRoot, _ := tlog.TreeHash(p.Index, &s)
			valid = tlog.CheckTree(ours, p.Size, newRoot, p.Index, oldRoot) == nil
		}
		reply.ConsistencyValid = append(reply.ConsistencyValid, valid)
	}
	return reply, nil
}

func openNote(req noteRequest) noteReply {
	var verifiers []note.Verifier
	for _, vkey := range req.Vkeys {
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return noteReply{Error: "vkey: " + err.Error()}
		}
		verifiers = append(verifiers, v)
	}
	n, err := note.Open([]byte(req.Note), note.VerifierList(verifiers...))
	if err != nil {
		return noteReply{Error: err.Error()}
	}
	reply := noteReply{OK: true, Text: n.Text, Unknown: len(n.UnverifiedSigs)}
	for _, sig := range n.Sigs {
		reply.Verified = append(reply.Verified, sig.Name)
	}
	return reply
}

func signNote(req noteRequest) noteReply {
	signer, err := note.NewSigner(req.Skey)
	if err != nil {
		return noteReply{Error: "skey: " + err.Error()}
	}
	msg, err := note.Sign(&note.Note{Text: req.Text}, signer)
	if err != nil {
		return noteReply{Error: err.Error()}
	}
	return noteReply{OK: true, Note: string(msg)}
}

// bench builds a tree of n leaves (leaf i is i as 8 big-endian bytes) and reports the rate.
func bench(n int64) (map[string]interface{}, error) {
	var s store
	leaf := make([]byte, 8)
	start := time.Now()
	for i := int64(0); i < n; i++ {
		binary.BigEndian.PutUint64(leaf, uint64(i))
		if err := s.add(i, leaf); err != nil {
			return nil, err
		}
	}
	root, err := tlog.TreeHash(n, &s)
	if err != nil {
		return nil, err
	}
	seconds := time.Since(start).Seconds()
	return map[string]interface{}{"leaves": n, "seconds": seconds, "root": root[:]}, nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: interop tree|note-open|note-sign|bench N")
		os.Exit(2)
	}
	var reply interface{}
	var err error
	switch os.Args[1] {
	case "tree":
		var req treeRequest
		if err = json.NewDecoder(os.Stdin).Decode(&req); err == nil {
			reply, err = tree(req)
		}
	case "note-open", "note-sign":
		var req noteRequest
		if err = json.NewDecoder(os.Stdin).Decode(&req); err == nil {
			if os.Args[1] == "note-open" {
				reply = openNote(req)
			} else {
				reply = signNote(req)
			}
		}
	case "bench":
		var n int64
		if len(os.Args) > 2 {
			n, err = strconv.ParseInt(os.Args[2], 10, 64)
		}
		if err == nil {
			reply, err = bench(n)
		}
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(reply); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
}
