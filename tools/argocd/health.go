// Command argocd-health runs an Argo CD resource health check (Lua) on one Kubernetes object the
// way Argo CD does for a `resource.customizations.health.<group>_<kind>` script: gopher-lua (the
// interpreter Argo CD embeds), only the package, base and table libraries (Argo CD's default for
// user scripts, useOpenLibs false: no string, math or io), the object as the global `obj`, and
// the table the script returns printed as JSON ({"status": ..., "message": ...}).
//
// Usage: argocd-health <script.lua> < object.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"context"

	lua "github.com/yuin/gopher-lua"
)

func main() {
	if len(os.Args) != 2 {
		fail("usage: argocd-health <script.lua> < object.json")
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err.Error())
	}
	var object map[string]interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&object); err != nil {
		fail("object: " + err.Error())
	}

	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for name, open := range map[string]lua.LGFunction{
		lua.LoadLibName: lua.OpenPackage,
		lua.BaseLibName: lua.OpenBase,
		lua.TabLibName:  lua.OpenTable,
	} {
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(open), NRet: 0, Protect: true}, lua.LString(name)); err != nil {
			fail(err.Error())
		}
	}
	// Argo CD gives a health script one second.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	L.SetContext(ctx)
	L.SetGlobal("obj", toLua(L, object))
	if err := L.DoString(string(script)); err != nil {
		fail("script: " + err.Error())
	}
	result, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		fail("the script must return a table, not " + L.Get(-1).Type().String())
	}
	out, err := json.Marshal(map[string]string{
		"status":  lua.LVAsString(result.RawGetString("status")),
		"message": lua.LVAsString(result.RawGetString("message")),
	})
	if err != nil {
		fail(err.Error())
	}
	fmt.Println(string(out))
}

// toLua converts decoded JSON as Argo CD does: objects become tables keyed by string, arrays
// become sequences, JSON null becomes nil.
func toLua(L *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []interface{}:
		t := L.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(toLua(L, item))
		}
		return t
	case map[string]interface{}:
		t := L.CreateTable(0, len(v))
		for key, item := range v {
			t.RawSetH(lua.LString(key), toLua(L, item))
		}
		return t
	}
	return lua.LNil
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "argocd-health: "+message)
	os.Exit(2)
}
