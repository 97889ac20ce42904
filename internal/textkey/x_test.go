package textkey
import ("testing"; "github.com/stretchr/testify/assert")
func TestX(t *testing.T){assert.True(t,true)}
